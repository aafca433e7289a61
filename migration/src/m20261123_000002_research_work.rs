//! What teachers do: activities (with their lessons and attendance) and the policies that shape
//! them, rubrics, lesson observations, research records and the tasks they answer, mentorship
//! pairs and their policies, and calendar feed tokens.
//!
//! Everything a quota rule may filter on is a column of its own (kinds, dates, counts, flags),
//! so that the quota checks of the next issue are aggregate SQL queries, never JSON scans.

use sea_orm_migration::{prelude::*, schema::*};

use crate::table_parts::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(timestamps(
            Table::create()
                .table(ActivityPolicies::Table)
                .col(big_pk_auto(ActivityPolicies::Id))
                .col(big_integer(ActivityPolicies::DistrictId))
                .col(string_len(ActivityPolicies::Scope, 32))
                .col(big_integer(ActivityPolicies::ScopeId))
                .col(string_len(ActivityPolicies::SummaryDueRule, 32))
                .col(integer_null(ActivityPolicies::SummaryDueValue))
                .col(integer(ActivityPolicies::SignInOpensMinutesBefore))
                .col(integer(ActivityPolicies::SignInClosesMinutesAfter))
                .col(integer(ActivityPolicies::LateAfterMinutes))
                .foreign_key(&mut fk(
                    (ActivityPolicies::Table, ActivityPolicies::DistrictId),
                    (Districts::Table, Districts::Id),
                )),
            false,
        ))
        .await?;
        m.create_index(index("ux_activity_policies_scope", ActivityPolicies::Table, &["scope", "scope_id"], true))
            .await?;

        m.create_table(timestamps(
            Table::create()
                .table(Activities::Table)
                .col(big_pk_auto(Activities::Id))
                .col(big_integer(Activities::DistrictId))
                .col(big_integer_null(Activities::SchoolId))
                .col(string_len(Activities::OrganiserKind, 32))
                .col(big_integer_null(Activities::GroupId))
                .col(big_integer_null(Activities::ZoneId))
                .col(big_integer_null(Activities::PairingId))
                .col(big_integer_null(Activities::HostSchoolId))
                .col(big_integer(Activities::SemesterId))
                .col(string_len(Activities::ActivityType, 32))
                .col(string_len(Activities::Title, 200))
                .col(text_null(Activities::Topic))
                .col(date_null(Activities::Date))
                .col(time_null(Activities::StartTime))
                .col(time_null(Activities::EndTime))
                .col(integer_null(Activities::StartPeriod))
                .col(integer_null(Activities::EndPeriod))
                .col(string_len_null(Activities::Venue, 200))
                .col(string_len_null(Activities::MeetingUrl, 500))
                .col(string_len(Activities::Modality, 32))
                .col(big_integer_null(Activities::LeadSpeakerTeacherId))
                .col(string_len_null(Activities::LeadSpeakerName, 100))
                .col(text_null(Activities::Description))
                .col(string_len(Activities::Status, 32))
                .col(text_null(Activities::CancelReason))
                .col(big_integer_null(Activities::SlotId))
                .col(date_null(Activities::GeneratedFor))
                .col(text_null(Activities::Minutes))
                .col(text_null(Activities::Summary))
                .col(date_null(Activities::SummaryDueOn))
                .col(timestamp_with_time_zone_null(Activities::SummarySubmittedAt))
                .col(big_integer_null(Activities::CreatedByUserId))
                .foreign_key(&mut fk((Activities::Table, Activities::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((Activities::Table, Activities::SchoolId), (Schools::Table, Schools::Id)))
                .foreign_key(&mut fk((Activities::Table, Activities::GroupId), (Groups::Table, Groups::Id)))
                .foreign_key(&mut fk((Activities::Table, Activities::ZoneId), (Zones::Table, Zones::Id)))
                .foreign_key(&mut fk(
                    (Activities::Table, Activities::PairingId),
                    (SchoolPairings::Table, SchoolPairings::Id),
                ))
                .foreign_key(&mut fk((Activities::Table, Activities::HostSchoolId), (Schools::Table, Schools::Id)))
                .foreign_key(&mut fk((Activities::Table, Activities::SemesterId), (Semesters::Table, Semesters::Id)))
                .foreign_key(&mut fk(
                    (Activities::Table, Activities::LeadSpeakerTeacherId),
                    (Teachers::Table, Teachers::Id),
                ))
                .foreign_key(&mut fk((Activities::Table, Activities::SlotId), (WeeklySlots::Table, WeeklySlots::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ix_activities_semester_group", Activities::Table, &["semester_id", "group_id"], false))
            .await?;
        m.create_index(index("ix_activities_school_date", Activities::Table, &["school_id", "date"], false)).await?;
        m.create_index(index("ix_activities_district_date", Activities::Table, &["district_id", "date"], false))
            .await?;
        m.create_index(index("ix_activities_pairing", Activities::Table, &["pairing_id"], false)).await?;
        // A slot generates at most one activity per day, archived ones included, so re-running the
        // generator never brings back a draft the leader deleted.
        m.create_index(index("ux_activities_slot_day", Activities::Table, &["slot_id", "generated_for"], true)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(ActivityLessons::Table)
                .col(big_pk_auto(ActivityLessons::Id))
                .col(big_integer(ActivityLessons::ActivityId))
                .col(integer(ActivityLessons::Position))
                .col(big_integer(ActivityLessons::TeacherId))
                .col(string_len(ActivityLessons::Subject, 32))
                .col(integer_null(ActivityLessons::Grade))
                .col(string_len_null(ActivityLessons::ClassName, 32))
                .col(string_len(ActivityLessons::LessonKind, 32))
                .col(string_len_null(ActivityLessons::Title, 200))
                .foreign_key(&mut fk(
                    (ActivityLessons::Table, ActivityLessons::ActivityId),
                    (Activities::Table, Activities::Id),
                ))
                .foreign_key(&mut fk(
                    (ActivityLessons::Table, ActivityLessons::TeacherId),
                    (Teachers::Table, Teachers::Id),
                )),
            false,
        ))
        .await?;
        m.create_index(index("ix_activity_lessons_activity", ActivityLessons::Table, &["activity_id"], false)).await?;
        m.create_index(index("ix_activity_lessons_teacher", ActivityLessons::Table, &["teacher_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(ActivityParticipants::Table)
                .col(big_pk_auto(ActivityParticipants::Id))
                .col(big_integer(ActivityParticipants::ActivityId))
                .col(big_integer(ActivityParticipants::TeacherId))
                .col(boolean(ActivityParticipants::Expected))
                .col(string_len(ActivityParticipants::Status, 32))
                .col(string_len_null(ActivityParticipants::LeaveReason, 500))
                .col(timestamp_with_time_zone_null(ActivityParticipants::SignedInAt))
                .col(big_integer_null(ActivityParticipants::RecordedByUserId))
                .foreign_key(&mut fk(
                    (ActivityParticipants::Table, ActivityParticipants::ActivityId),
                    (Activities::Table, Activities::Id),
                ))
                .foreign_key(&mut fk(
                    (ActivityParticipants::Table, ActivityParticipants::TeacherId),
                    (Teachers::Table, Teachers::Id),
                )),
            false,
        ))
        .await?;
        m.create_index(index(
            "ux_activity_participants",
            ActivityParticipants::Table,
            &["activity_id", "teacher_id"],
            true,
        ))
        .await?;
        m.create_index(index("ix_activity_participants_teacher", ActivityParticipants::Table, &["teacher_id"], false))
            .await?;

        m.create_table(timestamps(
            Table::create()
                .table(Rubrics::Table)
                .col(big_pk_auto(Rubrics::Id))
                .col(big_integer(Rubrics::DistrictId))
                .col(big_integer_null(Rubrics::SchoolId))
                .col(string_len(Rubrics::Name, 100))
                .col(text_null(Rubrics::Description))
                .foreign_key(&mut fk((Rubrics::Table, Rubrics::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((Rubrics::Table, Rubrics::SchoolId), (Schools::Table, Schools::Id))),
            true,
        ))
        .await?;
        m.create_table(timestamps(
            Table::create()
                .table(RubricDimensions::Table)
                .col(big_pk_auto(RubricDimensions::Id))
                .col(big_integer(RubricDimensions::RubricId))
                .col(integer(RubricDimensions::Position))
                .col(string_len(RubricDimensions::Name, 100))
                .col(integer(RubricDimensions::MaxPoints))
                .col(text_null(RubricDimensions::Description))
                .foreign_key(&mut fk(
                    (RubricDimensions::Table, RubricDimensions::RubricId),
                    (Rubrics::Table, Rubrics::Id),
                )),
            false,
        ))
        .await?;
        m.create_index(index("ix_rubric_dimensions_rubric", RubricDimensions::Table, &["rubric_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(Observations::Table)
                .col(big_pk_auto(Observations::Id))
                .col(big_integer(Observations::DistrictId))
                .col(big_integer(Observations::SemesterId))
                .col(big_integer(Observations::ObserverTeacherId))
                .col(big_integer(Observations::ObserverSchoolId))
                .col(big_integer_null(Observations::ObservedTeacherId))
                .col(big_integer_null(Observations::ObservedSchoolId))
                .col(string_len_null(Observations::ObservedName, 100))
                .col(date(Observations::ObservedOn))
                .col(integer_null(Observations::Period))
                .col(string_len(Observations::Subject, 32))
                .col(integer_null(Observations::Grade))
                .col(string_len_null(Observations::ClassName, 32))
                .col(string_len(Observations::LessonKind, 32))
                .col(string_len_null(Observations::LessonTitle, 200))
                .col(big_integer_null(Observations::ActivityId))
                .col(big_integer_null(Observations::RubricId))
                .col(json_null(Observations::Scores))
                .col(double_null(Observations::TotalScore))
                .col(json(Observations::Strengths))
                .col(json(Observations::Weaknesses))
                .col(json(Observations::Suggestions))
                .col(integer(Observations::StrengthsCount))
                .col(integer(Observations::WeaknessesCount))
                .col(integer(Observations::SuggestionsCount))
                .col(boolean(Observations::CritiqueGiven))
                .col(text_null(Observations::Critique))
                .col(text_null(Observations::Notes))
                .col(big_integer_null(Observations::CreatedByUserId))
                .foreign_key(&mut fk(
                    (Observations::Table, Observations::DistrictId),
                    (Districts::Table, Districts::Id),
                ))
                .foreign_key(&mut fk(
                    (Observations::Table, Observations::SemesterId),
                    (Semesters::Table, Semesters::Id),
                ))
                .foreign_key(&mut fk(
                    (Observations::Table, Observations::ObserverTeacherId),
                    (Teachers::Table, Teachers::Id),
                ))
                .foreign_key(&mut fk(
                    (Observations::Table, Observations::ObserverSchoolId),
                    (Schools::Table, Schools::Id),
                ))
                .foreign_key(&mut fk(
                    (Observations::Table, Observations::ObservedTeacherId),
                    (Teachers::Table, Teachers::Id),
                ))
                .foreign_key(&mut fk(
                    (Observations::Table, Observations::ObservedSchoolId),
                    (Schools::Table, Schools::Id),
                ))
                .foreign_key(&mut fk(
                    (Observations::Table, Observations::ActivityId),
                    (Activities::Table, Activities::Id),
                ))
                .foreign_key(&mut fk((Observations::Table, Observations::RubricId), (Rubrics::Table, Rubrics::Id))),
            true,
        ))
        .await?;
        m.create_index(index(
            "ix_observations_observer_day",
            Observations::Table,
            &["observer_teacher_id", "observed_on"],
            false,
        ))
        .await?;
        m.create_index(index(
            "ix_observations_observed_day",
            Observations::Table,
            &["observed_teacher_id", "observed_on"],
            false,
        ))
        .await?;
        m.create_index(index(
            "ix_observations_semester_school",
            Observations::Table,
            &["semester_id", "observer_school_id"],
            false,
        ))
        .await?;
        m.create_index(index("ix_observations_activity", Observations::Table, &["activity_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(RecordTasks::Table)
                .col(big_pk_auto(RecordTasks::Id))
                .col(big_integer(RecordTasks::DistrictId))
                .col(big_integer_null(RecordTasks::SchoolId))
                .col(big_integer_null(RecordTasks::GroupId))
                .col(big_integer(RecordTasks::SemesterId))
                .col(string_len_null(RecordTasks::Kind, 32))
                .col(string_len(RecordTasks::Title, 200))
                .col(text_null(RecordTasks::Description))
                .col(date(RecordTasks::DueOn))
                .foreign_key(&mut fk((RecordTasks::Table, RecordTasks::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((RecordTasks::Table, RecordTasks::SchoolId), (Schools::Table, Schools::Id)))
                .foreign_key(&mut fk((RecordTasks::Table, RecordTasks::GroupId), (Groups::Table, Groups::Id)))
                .foreign_key(&mut fk((RecordTasks::Table, RecordTasks::SemesterId), (Semesters::Table, Semesters::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ix_record_tasks_semester", RecordTasks::Table, &["semester_id", "school_id"], false))
            .await?;

        m.create_table(timestamps(
            Table::create()
                .table(Records::Table)
                .col(big_pk_auto(Records::Id))
                .col(big_integer(Records::DistrictId))
                .col(big_integer(Records::SchoolId))
                .col(big_integer(Records::AuthorTeacherId))
                .col(big_integer(Records::SemesterId))
                .col(string_len(Records::Kind, 32))
                .col(string_len(Records::Title, 200))
                .col(text_null(Records::Body))
                .col(string_len_null(Records::AttachmentUrl, 500))
                .col(date(Records::WrittenOn))
                .col(integer(Records::WordCount))
                .col(double_null(Records::Hours))
                .col(string_len_null(Records::LessonPlanForm, 32))
                .col(string_len_null(Records::ProjectLevel, 32))
                .col(string_len_null(Records::ProjectStage, 32))
                .col(string_len_null(Records::AwardLevel, 32))
                .col(string_len_null(Records::AwardRank, 32))
                .col(big_integer_null(Records::ActivityId))
                .col(big_integer_null(Records::ObservationId))
                .col(big_integer_null(Records::TaskId))
                .col(date_null(Records::DueOn))
                .col(date(Records::SubmittedOn))
                .col(boolean(Records::Late))
                .col(big_integer_null(Records::CreatedByUserId))
                .foreign_key(&mut fk((Records::Table, Records::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((Records::Table, Records::SchoolId), (Schools::Table, Schools::Id)))
                .foreign_key(&mut fk((Records::Table, Records::AuthorTeacherId), (Teachers::Table, Teachers::Id)))
                .foreign_key(&mut fk((Records::Table, Records::SemesterId), (Semesters::Table, Semesters::Id)))
                .foreign_key(&mut fk((Records::Table, Records::ActivityId), (Activities::Table, Activities::Id)))
                .foreign_key(&mut fk((Records::Table, Records::ObservationId), (Observations::Table, Observations::Id)))
                .foreign_key(&mut fk((Records::Table, Records::TaskId), (RecordTasks::Table, RecordTasks::Id))),
            true,
        ))
        .await?;
        m.create_index(index(
            "ix_records_author_semester_kind",
            Records::Table,
            &["author_teacher_id", "semester_id", "kind"],
            false,
        ))
        .await?;
        m.create_index(index("ix_records_school_semester", Records::Table, &["school_id", "semester_id"], false))
            .await?;
        m.create_index(index("ix_records_task", Records::Table, &["task_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(RecordCoauthors::Table)
                .col(big_integer(RecordCoauthors::RecordId))
                .col(big_integer(RecordCoauthors::TeacherId))
                .primary_key(Index::create().col(RecordCoauthors::RecordId).col(RecordCoauthors::TeacherId))
                .foreign_key(&mut fk(
                    (RecordCoauthors::Table, RecordCoauthors::RecordId),
                    (Records::Table, Records::Id),
                ))
                .foreign_key(&mut fk(
                    (RecordCoauthors::Table, RecordCoauthors::TeacherId),
                    (Teachers::Table, Teachers::Id),
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ix_record_coauthors_teacher", RecordCoauthors::Table, &["teacher_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(MentorshipPolicies::Table)
                .col(big_pk_auto(MentorshipPolicies::Id))
                .col(big_integer(MentorshipPolicies::DistrictId))
                .col(big_integer_null(MentorshipPolicies::SchoolId))
                .col(json(MentorshipPolicies::Capacities))
                .col(integer(MentorshipPolicies::DefaultCapacity))
                .col(string_len(MentorshipPolicies::GradeBandRule, 32))
                .foreign_key(&mut fk(
                    (MentorshipPolicies::Table, MentorshipPolicies::DistrictId),
                    (Districts::Table, Districts::Id),
                ))
                .foreign_key(&mut fk(
                    (MentorshipPolicies::Table, MentorshipPolicies::SchoolId),
                    (Schools::Table, Schools::Id),
                )),
            false,
        ))
        .await?;
        // One policy per school, and one per district (the row without a school).
        m.create_index(index("ux_mentorship_policies_school", MentorshipPolicies::Table, &["school_id"], true)).await?;
        m.create_index(
            index("ux_mentorship_policies_district", MentorshipPolicies::Table, &["district_id"], true)
                .cond_where(Expr::col(MentorshipPolicies::SchoolId).is_null())
                .take(),
        )
        .await?;

        m.create_table(timestamps(
            Table::create()
                .table(Mentorships::Table)
                .col(big_pk_auto(Mentorships::Id))
                .col(big_integer(Mentorships::DistrictId))
                .col(big_integer(Mentorships::SchoolId))
                .col(big_integer(Mentorships::MentorTeacherId))
                .col(big_integer(Mentorships::MenteeTeacherId))
                .col(big_integer(Mentorships::StartSemesterId))
                .col(big_integer(Mentorships::EndSemesterId))
                .col(text_null(Mentorships::Agreement))
                .col(json(Mentorships::Duties))
                .col(string_len(Mentorships::Status, 32))
                .col(boolean(Mentorships::GradeBandMismatch))
                .col(string_len_null(Mentorships::AssessmentGrade, 32))
                .col(text_null(Mentorships::AssessmentComment))
                .col(string_len_null(Mentorships::Reward, 200))
                .col(date_null(Mentorships::AssessedOn))
                .foreign_key(&mut fk((Mentorships::Table, Mentorships::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((Mentorships::Table, Mentorships::SchoolId), (Schools::Table, Schools::Id)))
                .foreign_key(&mut fk(
                    (Mentorships::Table, Mentorships::MentorTeacherId),
                    (Teachers::Table, Teachers::Id),
                ))
                .foreign_key(&mut fk(
                    (Mentorships::Table, Mentorships::MenteeTeacherId),
                    (Teachers::Table, Teachers::Id),
                ))
                .foreign_key(&mut fk(
                    (Mentorships::Table, Mentorships::StartSemesterId),
                    (Semesters::Table, Semesters::Id),
                ))
                .foreign_key(&mut fk(
                    (Mentorships::Table, Mentorships::EndSemesterId),
                    (Semesters::Table, Semesters::Id),
                )),
            true,
        ))
        .await?;
        m.create_index(index("ix_mentorships_mentor", Mentorships::Table, &["mentor_teacher_id"], false)).await?;
        m.create_index(index("ix_mentorships_mentee", Mentorships::Table, &["mentee_teacher_id"], false)).await?;
        m.create_index(index("ix_mentorships_school", Mentorships::Table, &["school_id"], false)).await?;

        m.create_table(
            Table::create()
                .table(CalendarTokens::Table)
                .col(big_pk_auto(CalendarTokens::Id))
                .col(big_integer(CalendarTokens::UserId))
                .col(string_len(CalendarTokens::TokenHash, 64))
                .col(timestamp_with_time_zone(CalendarTokens::CreatedAt))
                .col(timestamp_with_time_zone_null(CalendarTokens::LastUsedAt))
                .foreign_key(&mut fk((CalendarTokens::Table, CalendarTokens::UserId), (Users::Table, Users::Id)))
                .to_owned(),
        )
        .await?;
        m.create_index(index("ux_calendar_tokens_user", CalendarTokens::Table, &["user_id"], true)).await?;
        m.create_index(index("ux_calendar_tokens_hash", CalendarTokens::Table, &["token_hash"], true)).await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents, so that foreign keys never dangle.
        let tables: Vec<DynIden> = vec![
            CalendarTokens::Table.into_iden(),
            Mentorships::Table.into_iden(),
            MentorshipPolicies::Table.into_iden(),
            RecordCoauthors::Table.into_iden(),
            Records::Table.into_iden(),
            RecordTasks::Table.into_iden(),
            Observations::Table.into_iden(),
            RubricDimensions::Table.into_iden(),
            Rubrics::Table.into_iden(),
            ActivityParticipants::Table.into_iden(),
            ActivityLessons::Table.into_iden(),
            Activities::Table.into_iden(),
            ActivityPolicies::Table.into_iden(),
        ];
        for table in tables {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

// Tables of the first migration that these refer to.
#[derive(DeriveIden)]
enum Districts {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Zones {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Schools {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum SchoolPairings {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Semesters {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Teachers {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
}
#[derive(DeriveIden)]
enum WeeklySlots {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ActivityPolicies {
    Table,
    Id,
    DistrictId,
    Scope,
    ScopeId,
    SummaryDueRule,
    SummaryDueValue,
    SignInOpensMinutesBefore,
    SignInClosesMinutesAfter,
    LateAfterMinutes,
}
#[derive(DeriveIden)]
enum Activities {
    Table,
    Id,
    DistrictId,
    SchoolId,
    OrganiserKind,
    GroupId,
    ZoneId,
    PairingId,
    HostSchoolId,
    SemesterId,
    ActivityType,
    Title,
    Topic,
    Date,
    StartTime,
    EndTime,
    StartPeriod,
    EndPeriod,
    Venue,
    MeetingUrl,
    Modality,
    LeadSpeakerTeacherId,
    LeadSpeakerName,
    Description,
    Status,
    CancelReason,
    SlotId,
    GeneratedFor,
    Minutes,
    Summary,
    SummaryDueOn,
    SummarySubmittedAt,
    CreatedByUserId,
}
#[derive(DeriveIden)]
enum ActivityLessons {
    Table,
    Id,
    ActivityId,
    Position,
    TeacherId,
    Subject,
    Grade,
    ClassName,
    LessonKind,
    Title,
}
#[derive(DeriveIden)]
enum ActivityParticipants {
    Table,
    Id,
    ActivityId,
    TeacherId,
    Expected,
    Status,
    LeaveReason,
    SignedInAt,
    RecordedByUserId,
}
#[derive(DeriveIden)]
enum Rubrics {
    Table,
    Id,
    DistrictId,
    SchoolId,
    Name,
    Description,
}
#[derive(DeriveIden)]
enum RubricDimensions {
    Table,
    Id,
    RubricId,
    Position,
    Name,
    MaxPoints,
    Description,
}
#[derive(DeriveIden)]
enum Observations {
    Table,
    Id,
    DistrictId,
    SemesterId,
    ObserverTeacherId,
    ObserverSchoolId,
    ObservedTeacherId,
    ObservedSchoolId,
    ObservedName,
    ObservedOn,
    Period,
    Subject,
    Grade,
    ClassName,
    LessonKind,
    LessonTitle,
    ActivityId,
    RubricId,
    Scores,
    TotalScore,
    Strengths,
    Weaknesses,
    Suggestions,
    StrengthsCount,
    WeaknessesCount,
    SuggestionsCount,
    CritiqueGiven,
    Critique,
    Notes,
    CreatedByUserId,
}
#[derive(DeriveIden)]
enum RecordTasks {
    Table,
    Id,
    DistrictId,
    SchoolId,
    GroupId,
    SemesterId,
    Kind,
    Title,
    Description,
    DueOn,
}
#[derive(DeriveIden)]
enum Records {
    Table,
    Id,
    DistrictId,
    SchoolId,
    AuthorTeacherId,
    SemesterId,
    Kind,
    Title,
    Body,
    AttachmentUrl,
    WrittenOn,
    WordCount,
    Hours,
    LessonPlanForm,
    ProjectLevel,
    ProjectStage,
    AwardLevel,
    AwardRank,
    ActivityId,
    ObservationId,
    TaskId,
    DueOn,
    SubmittedOn,
    Late,
    CreatedByUserId,
}
#[derive(DeriveIden)]
enum RecordCoauthors {
    Table,
    RecordId,
    TeacherId,
}
#[derive(DeriveIden)]
enum MentorshipPolicies {
    Table,
    Id,
    DistrictId,
    SchoolId,
    Capacities,
    DefaultCapacity,
    GradeBandRule,
}
#[derive(DeriveIden)]
enum Mentorships {
    Table,
    Id,
    DistrictId,
    SchoolId,
    MentorTeacherId,
    MenteeTeacherId,
    StartSemesterId,
    EndSemesterId,
    Agreement,
    Duties,
    Status,
    GradeBandMismatch,
    AssessmentGrade,
    AssessmentComment,
    Reward,
    AssessedOn,
}
#[derive(DeriveIden)]
enum CalendarTokens {
    Table,
    Id,
    UserId,
    TokenHash,
    CreatedAt,
    LastUsedAt,
}
