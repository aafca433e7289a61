//! The appraisal core of Jiaoyan (量化考核, 期末绩效考评, seed 000: "结合教研活动与常规巡查对教师的研修
//! 情况进行督查与考核，并把它作为期末绩效工资考评以及评先的依据之一"): a scheme of weighted components as
//! data, each teacher's score with a breakdown that says where every point came from, a group's
//! score from its members' and its own rules (先进教研组评比), and the ranking with ties.
//!
//! Pure on purpose, like `jiaoyan_quota`: the api loads the inputs (quota check results, award
//! records, attendance rates, mentorship outcomes) with aggregate queries and hands them here.
//! - [`scheme`]: the scheme model and its validation, each problem naming its field;
//! - [`inputs`]: what is measured of a teacher and of a group;
//! - [`score`]: the scoring of one subject into a breakdown that adds up exactly to the score;
//! - [`rank`]: the ranking, equal scores sharing a rank ("1, 1, 3").
//!
//! Points are kept in hundredths ([`points`]): every line of a breakdown is rounded once, and the
//! score is the sum of the lines, so the breakdown adds up to the score exactly.

pub mod inputs;
pub mod points;
pub mod rank;
pub mod scheme;
pub mod score;
