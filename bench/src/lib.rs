//! The district-scale benchmark (bench/README.md): a generator of a realistic county and semester
//! ([`gen`]), the hand-written reference aggregates ([`reference`]) and the HTTP measurements
//! ([`http`]) that `bench/run.sh` drives through the `jiaoyan-bench` binary, and the results table
//! ([`report`]); and the request-path benchmark (bench/README.md, "The request-path benchmark"):
//! the floor and ceiling servers ([`baseline`]) and the wrk and mixed scenarios ([`requests`]).

pub mod baseline;
pub mod gen;
pub mod http;
pub mod reference;
pub mod report;
pub mod requests;
pub mod rng;
