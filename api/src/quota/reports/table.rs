//! Tables of a report, and writing them as JSON, CSV or XLSX (issue 4: to be written).
