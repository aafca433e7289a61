//! The organisation model: districts, zones, schools and their pairings, semesters, teachers
//! (with subjects, grades, posts and honours), user accounts and refresh tokens, groups with
//! their memberships, weekly slots and research topics.

use sea_orm_migration::{prelude::*, schema::*};

use crate::table_parts::{fk, index, timestamps};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(timestamps(
            Table::create()
                .table(Districts::Table)
                .col(big_pk_auto(Districts::Id))
                .col(string_len(Districts::Name, 100))
                .col(string_len_null(Districts::Code, 64)),
            true,
        ))
        .await?;
        m.create_index(index("ux_districts_name", Districts::Table, &["name"], true)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(Zones::Table)
                .col(big_pk_auto(Zones::Id))
                .col(big_integer(Zones::DistrictId))
                .col(string_len(Zones::Name, 100))
                // No foreign key: zones and schools point at each other; the API checks it.
                .col(big_integer_null(Zones::LeadSchoolId))
                .foreign_key(&mut fk((Zones::Table, Zones::DistrictId), (Districts::Table, Districts::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ux_zones_district_name", Zones::Table, &["district_id", "name"], true)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(Schools::Table)
                .col(big_pk_auto(Schools::Id))
                .col(big_integer(Schools::DistrictId))
                .col(big_integer_null(Schools::ZoneId))
                .col(string_len(Schools::Name, 100))
                .col(string_len(Schools::Tier, 32))
                .col(string_len_null(Schools::Code, 64))
                .col(string_len_null(Schools::Address, 200))
                .foreign_key(&mut fk((Schools::Table, Schools::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((Schools::Table, Schools::ZoneId), (Zones::Table, Zones::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ux_schools_district_name", Schools::Table, &["district_id", "name"], true)).await?;
        m.create_index(index("ux_schools_code", Schools::Table, &["code"], true)).await?;
        m.create_index(index("ix_schools_zone", Schools::Table, &["zone_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(SchoolPairings::Table)
                .col(big_pk_auto(SchoolPairings::Id))
                .col(big_integer(SchoolPairings::DistrictId))
                .col(big_integer(SchoolPairings::MentorSchoolId))
                .col(big_integer(SchoolPairings::PartnerSchoolId))
                .col(string_len(SchoolPairings::Kind, 32))
                .col(date(SchoolPairings::StartDate))
                .col(date_null(SchoolPairings::EndDate))
                .col(text_null(SchoolPairings::Notes))
                .foreign_key(&mut fk(
                    (SchoolPairings::Table, SchoolPairings::DistrictId),
                    (Districts::Table, Districts::Id),
                ))
                .foreign_key(&mut fk(
                    (SchoolPairings::Table, SchoolPairings::MentorSchoolId),
                    (Schools::Table, Schools::Id),
                ))
                .foreign_key(&mut fk(
                    (SchoolPairings::Table, SchoolPairings::PartnerSchoolId),
                    (Schools::Table, Schools::Id),
                )),
            true,
        ))
        .await?;
        m.create_index(index("ix_pairings_mentor", SchoolPairings::Table, &["mentor_school_id"], false)).await?;
        m.create_index(index("ix_pairings_partner", SchoolPairings::Table, &["partner_school_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(Semesters::Table)
                .col(big_pk_auto(Semesters::Id))
                .col(big_integer(Semesters::DistrictId))
                .col(string_len(Semesters::Name, 100))
                .col(string_len(Semesters::SchoolYear, 16))
                .col(date(Semesters::StartDate))
                .col(date(Semesters::EndDate))
                .col(date(Semesters::Week1Start))
                .col(json(Semesters::Holidays))
                .foreign_key(&mut fk((Semesters::Table, Semesters::DistrictId), (Districts::Table, Districts::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ux_semesters_district_name", Semesters::Table, &["district_id", "name"], true)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(Teachers::Table)
                .col(big_pk_auto(Teachers::Id))
                .col(big_integer(Teachers::SchoolId))
                .col(string_len(Teachers::Name, 100))
                .col(string_len_null(Teachers::Gender, 32))
                .col(date_null(Teachers::BirthDate))
                .col(integer_null(Teachers::TeachingStartYear))
                .col(string_len_null(Teachers::Degree, 32))
                .col(string_len(Teachers::EmploymentType, 32))
                .col(string_len_null(Teachers::ProfessionalTitle, 32))
                .col(string_len(Teachers::Status, 32))
                .col(string_len_null(Teachers::ExternalId, 64))
                .foreign_key(&mut fk((Teachers::Table, Teachers::SchoolId), (Schools::Table, Schools::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ix_teachers_school", Teachers::Table, &["school_id"], false)).await?;
        m.create_index(index("ux_teachers_external_id", Teachers::Table, &["external_id"], true)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(TeacherSubjects::Table)
                .col(big_integer(TeacherSubjects::TeacherId))
                .col(string_len(TeacherSubjects::Subject, 32))
                .primary_key(Index::create().col(TeacherSubjects::TeacherId).col(TeacherSubjects::Subject))
                .foreign_key(&mut fk(
                    (TeacherSubjects::Table, TeacherSubjects::TeacherId),
                    (Teachers::Table, Teachers::Id),
                )),
            false,
        ))
        .await?;
        m.create_index(index("ix_teacher_subjects_subject", TeacherSubjects::Table, &["subject"], false)).await?;
        m.create_table(timestamps(
            Table::create()
                .table(TeacherGrades::Table)
                .col(big_integer(TeacherGrades::TeacherId))
                .col(integer(TeacherGrades::Grade))
                .primary_key(Index::create().col(TeacherGrades::TeacherId).col(TeacherGrades::Grade))
                .foreign_key(&mut fk(
                    (TeacherGrades::Table, TeacherGrades::TeacherId),
                    (Teachers::Table, Teachers::Id),
                )),
            false,
        ))
        .await?;
        m.create_table(timestamps(
            Table::create()
                .table(TeacherPosts::Table)
                .col(big_integer(TeacherPosts::TeacherId))
                .col(string_len(TeacherPosts::Post, 32))
                .primary_key(Index::create().col(TeacherPosts::TeacherId).col(TeacherPosts::Post))
                .foreign_key(&mut fk((TeacherPosts::Table, TeacherPosts::TeacherId), (Teachers::Table, Teachers::Id))),
            false,
        ))
        .await?;
        m.create_index(index("ix_teacher_posts_post", TeacherPosts::Table, &["post"], false)).await?;
        m.create_table(timestamps(
            Table::create()
                .table(TeacherHonours::Table)
                .col(big_pk_auto(TeacherHonours::Id))
                .col(big_integer(TeacherHonours::TeacherId))
                .col(string_len(TeacherHonours::Title, 32))
                .col(string_len(TeacherHonours::Level, 32))
                .col(integer(TeacherHonours::Year))
                .foreign_key(&mut fk(
                    (TeacherHonours::Table, TeacherHonours::TeacherId),
                    (Teachers::Table, Teachers::Id),
                )),
            false,
        ))
        .await?;
        m.create_index(index("ix_teacher_honours_teacher", TeacherHonours::Table, &["teacher_id"], false)).await?;
        m.create_index(index("ix_teacher_honours_title", TeacherHonours::Table, &["title", "level"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(Users::Table)
                .col(big_pk_auto(Users::Id))
                .col(string_len(Users::Username, 64))
                .col(string_len(Users::PasswordHash, 200))
                .col(string_len(Users::Role, 32))
                .col(big_integer_null(Users::DistrictId))
                .col(big_integer_null(Users::SchoolId))
                .col(big_integer_null(Users::TeacherId))
                .col(string_len_null(Users::DisplayName, 100))
                .col(boolean(Users::Disabled).default(false))
                .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                .foreign_key(&mut fk((Users::Table, Users::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((Users::Table, Users::SchoolId), (Schools::Table, Schools::Id)))
                .foreign_key(&mut fk((Users::Table, Users::TeacherId), (Teachers::Table, Teachers::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ux_users_username", Users::Table, &["username"], true)).await?;
        m.create_index(index("ix_users_school", Users::Table, &["school_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(RefreshTokens::Table)
                .col(big_pk_auto(RefreshTokens::Id))
                .col(big_integer(RefreshTokens::UserId))
                .col(string_len(RefreshTokens::TokenHash, 64))
                .col(timestamp_with_time_zone(RefreshTokens::ExpiresAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::RevokedAt))
                .foreign_key(&mut fk((RefreshTokens::Table, RefreshTokens::UserId), (Users::Table, Users::Id))),
            false,
        ))
        .await?;
        m.create_index(index("ux_refresh_tokens_hash", RefreshTokens::Table, &["token_hash"], true)).await?;
        m.create_index(index("ix_refresh_tokens_user", RefreshTokens::Table, &["user_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(Groups::Table)
                .col(big_pk_auto(Groups::Id))
                .col(big_integer(Groups::DistrictId))
                .col(big_integer_null(Groups::SchoolId))
                .col(string_len(Groups::Kind, 32))
                .col(string_len(Groups::Name, 100))
                .col(string_len_null(Groups::Subject, 32))
                .col(string_len_null(Groups::GradeBand, 32))
                .col(big_integer_null(Groups::ParentId))
                .col(big_integer_null(Groups::LeaderTeacherId))
                .col(text_null(Groups::Description))
                .foreign_key(&mut fk((Groups::Table, Groups::DistrictId), (Districts::Table, Districts::Id)))
                .foreign_key(&mut fk((Groups::Table, Groups::SchoolId), (Schools::Table, Schools::Id)))
                .foreign_key(&mut fk((Groups::Table, Groups::ParentId), (Groups::Table, Groups::Id)))
                .foreign_key(&mut fk((Groups::Table, Groups::LeaderTeacherId), (Teachers::Table, Teachers::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ix_groups_school", Groups::Table, &["school_id"], false)).await?;
        m.create_index(index("ix_groups_district", Groups::Table, &["district_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(GroupMemberships::Table)
                .col(big_pk_auto(GroupMemberships::Id))
                .col(big_integer(GroupMemberships::GroupId))
                .col(big_integer(GroupMemberships::TeacherId))
                .col(string_len(GroupMemberships::Role, 32))
                .col(date(GroupMemberships::Since))
                .col(date_null(GroupMemberships::Until))
                .foreign_key(&mut fk((GroupMemberships::Table, GroupMemberships::GroupId), (Groups::Table, Groups::Id)))
                .foreign_key(&mut fk(
                    (GroupMemberships::Table, GroupMemberships::TeacherId),
                    (Teachers::Table, Teachers::Id),
                )),
            true,
        ))
        .await?;
        m.create_index(index("ix_memberships_group", GroupMemberships::Table, &["group_id"], false)).await?;
        m.create_index(index("ix_memberships_teacher", GroupMemberships::Table, &["teacher_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(WeeklySlots::Table)
                .col(big_pk_auto(WeeklySlots::Id))
                .col(big_integer(WeeklySlots::GroupId))
                .col(integer(WeeklySlots::Weekday))
                .col(integer_null(WeeklySlots::StartPeriod))
                .col(integer_null(WeeklySlots::EndPeriod))
                .col(time_null(WeeklySlots::StartTime))
                .col(time_null(WeeklySlots::EndTime))
                .col(string_len_null(WeeklySlots::Venue, 100))
                .col(string_len(WeeklySlots::WeekPattern, 32))
                .col(integer(WeeklySlots::FirstWeek).default(1))
                .foreign_key(&mut fk((WeeklySlots::Table, WeeklySlots::GroupId), (Groups::Table, Groups::Id))),
            true,
        ))
        .await?;
        m.create_index(index("ix_slots_group", WeeklySlots::Table, &["group_id"], false)).await?;

        m.create_table(timestamps(
            Table::create()
                .table(ResearchTopics::Table)
                .col(big_pk_auto(ResearchTopics::Id))
                .col(big_integer(ResearchTopics::GroupId))
                .col(big_integer(ResearchTopics::SemesterId))
                .col(string_len(ResearchTopics::Title, 200))
                .col(text_null(ResearchTopics::Description))
                .foreign_key(&mut fk((ResearchTopics::Table, ResearchTopics::GroupId), (Groups::Table, Groups::Id)))
                .foreign_key(&mut fk(
                    (ResearchTopics::Table, ResearchTopics::SemesterId),
                    (Semesters::Table, Semesters::Id),
                )),
            true,
        ))
        .await?;
        m.create_index(index("ix_topics_group_semester", ResearchTopics::Table, &["group_id", "semester_id"], false))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // Children before parents, so that foreign keys never dangle.
        let tables: Vec<DynIden> = vec![
            ResearchTopics::Table.into_iden(),
            WeeklySlots::Table.into_iden(),
            GroupMemberships::Table.into_iden(),
            Groups::Table.into_iden(),
            RefreshTokens::Table.into_iden(),
            Users::Table.into_iden(),
            TeacherHonours::Table.into_iden(),
            TeacherPosts::Table.into_iden(),
            TeacherGrades::Table.into_iden(),
            TeacherSubjects::Table.into_iden(),
            Teachers::Table.into_iden(),
            Semesters::Table.into_iden(),
            SchoolPairings::Table.into_iden(),
            Schools::Table.into_iden(),
            Zones::Table.into_iden(),
            Districts::Table.into_iden(),
        ];
        for table in tables {
            m.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Districts {
    Table,
    Id,
    Name,
    Code,
}
#[derive(DeriveIden)]
enum Zones {
    Table,
    Id,
    DistrictId,
    Name,
    LeadSchoolId,
}
#[derive(DeriveIden)]
enum Schools {
    Table,
    Id,
    DistrictId,
    ZoneId,
    Name,
    Tier,
    Code,
    Address,
}
#[derive(DeriveIden)]
enum SchoolPairings {
    Table,
    Id,
    DistrictId,
    MentorSchoolId,
    PartnerSchoolId,
    Kind,
    StartDate,
    EndDate,
    Notes,
}
#[derive(DeriveIden)]
enum Semesters {
    Table,
    Id,
    DistrictId,
    Name,
    SchoolYear,
    StartDate,
    EndDate,
    #[sea_orm(iden = "week1_start")]
    Week1Start,
    Holidays,
}
#[derive(DeriveIden)]
enum Teachers {
    Table,
    Id,
    SchoolId,
    Name,
    Gender,
    BirthDate,
    TeachingStartYear,
    Degree,
    EmploymentType,
    ProfessionalTitle,
    Status,
    ExternalId,
}
#[derive(DeriveIden)]
enum TeacherSubjects {
    Table,
    TeacherId,
    Subject,
}
#[derive(DeriveIden)]
enum TeacherGrades {
    Table,
    TeacherId,
    Grade,
}
#[derive(DeriveIden)]
enum TeacherPosts {
    Table,
    TeacherId,
    Post,
}
#[derive(DeriveIden)]
enum TeacherHonours {
    Table,
    Id,
    TeacherId,
    Title,
    Level,
    Year,
}
#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    PasswordHash,
    Role,
    DistrictId,
    SchoolId,
    TeacherId,
    DisplayName,
    Disabled,
    LastLoginAt,
}
#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    UserId,
    TokenHash,
    ExpiresAt,
    RevokedAt,
}
#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
    DistrictId,
    SchoolId,
    Kind,
    Name,
    Subject,
    GradeBand,
    ParentId,
    LeaderTeacherId,
    Description,
}
#[derive(DeriveIden)]
enum GroupMemberships {
    Table,
    Id,
    GroupId,
    TeacherId,
    Role,
    Since,
    Until,
}
#[derive(DeriveIden)]
enum WeeklySlots {
    Table,
    Id,
    GroupId,
    Weekday,
    StartPeriod,
    EndPeriod,
    StartTime,
    EndTime,
    Venue,
    WeekPattern,
    FirstWeek,
}
#[derive(DeriveIden)]
enum ResearchTopics {
    Table,
    Id,
    GroupId,
    SemesterId,
    Title,
    Description,
}
