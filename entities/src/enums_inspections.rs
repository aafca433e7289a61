//! The enumerations of routine inspections (常规检查, seeds 000 and 002).

use sea_orm::entity::prelude::*;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

text_enum! {
    /// When an inspection takes place (seed 000: "每月常规检查、期中、期末定期进行检查", "每月不定期检查一至二次").
    InspectionKind {
        /// 月查: the monthly routine check.
        Monthly = "monthly",
        /// 期中检查
        MidTerm = "mid_term",
        /// 期末检查
        EndOfTerm = "end_of_term",
        /// 随机检查/不定期抽查: unannounced.
        Random = "random",
    }
}

text_enum! {
    /// A grade on an inspection item's four-step scale.
    InspectionGrade {
        /// 优
        Excellent = "excellent",
        /// 良
        Good = "good",
        /// 合格
        Pass = "pass",
        /// 待改进
        NeedsImprovement = "needs_improvement",
    }
}

text_enum! {
    /// Where a finding to correct (整改) stands.
    FindingStatus {
        /// 待整改: waiting for the teacher's response.
        Open = "open",
        /// 已整改待确认: the teacher responded; the inspector has not confirmed yet.
        Responded = "responded",
        /// 已确认: the inspector confirmed the correction.
        Closed = "closed",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_snake_case() {
        for (value, code) in [
            (serde_json::to_value(InspectionKind::EndOfTerm).unwrap(), "end_of_term"),
            (serde_json::to_value(InspectionGrade::NeedsImprovement).unwrap(), "needs_improvement"),
            (serde_json::to_value(FindingStatus::Responded).unwrap(), "responded"),
        ] {
            assert_eq!(value, serde_json::json!(code));
        }
    }
}
