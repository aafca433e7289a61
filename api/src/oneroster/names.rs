//! Splitting a teacher's name (姓名, one field in our data) into OneRoster's `familyName` and
//! `givenName`, once as a pure function (what the view shows) and once as SQL (what `filter=` and
//! `sort=` compare), built from the same rules so that both always agree.
//!
//! The rules, first match wins:
//! 1. a name with a space is written given-name first ("Mary Smith"): given = before the first
//!    space, family = after it;
//! 2. a name with a middle dot (·, ethnic-minority and transliterated names such as
//!    "阿依古丽·买买提") likewise: given = before the first dot, family = after it;
//! 3. a name of three or more characters starting with a common compound surname (复姓: 欧阳,
//!    司马 ...) has that two-character family name ("欧阳修" → 欧阳 + 修); a two-character name
//!    such as "欧阳" is 欧 + 阳;
//! 4. otherwise the family name is the first character ("王芳" → 王 + 芳).
//!
//! Characters are Unicode scalar values on both sides (Rust `chars`, SQL `SUBSTR`/`LENGTH` on
//! text, which count characters on SQLite and PostgreSQL alike).

use sea_orm::DbBackend;

/// The common compound surnames (复姓).
pub const COMPOUND_SURNAMES: [&str; 16] = [
    "欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒", "夏侯", "轩辕",
    "令狐", "端木",
];

/// The separators of rules 1 and 2, in order.
const SEPARATORS: [char; 2] = [' ', '·'];

/// `(family name, given name)` of a full name.
pub fn split_name(name: &str) -> (String, String) {
    for separator in SEPARATORS {
        if let Some((given, family)) = name.split_once(separator) {
            return (family.to_string(), given.to_string());
        }
    }
    let chars: Vec<char> = name.chars().collect();
    let prefix: String = chars.iter().take(2).collect();
    let family_len = if chars.len() >= 3 && COMPOUND_SURNAMES.contains(&prefix.as_str()) { 2 } else { 1 };
    let family_len = family_len.min(chars.len());
    (chars[..family_len].iter().collect(), chars[family_len..].iter().collect())
}

/// The character position (1-based, 0 when absent) of `needle` in `column`.
fn position(backend: DbBackend, column: &str, needle: char) -> String {
    match backend {
        DbBackend::Postgres => format!("STRPOS({column}, '{needle}')"),
        _ => format!("INSTR({column}, '{needle}')"),
    }
}

fn compound_list() -> String {
    COMPOUND_SURNAMES.iter().map(|s| format!("'{s}'")).collect::<Vec<_>>().join(", ")
}

/// SQL computing [`split_name`]'s family name of the text column `column`.
pub fn family_name_sql(backend: DbBackend, column: &str) -> String {
    let mut sql = String::from("CASE");
    for separator in SEPARATORS {
        let at = position(backend, column, separator);
        sql += &format!(" WHEN {at} > 0 THEN SUBSTR({column}, {at} + 1)");
    }
    sql += &format!(
        " WHEN LENGTH({column}) >= 3 AND SUBSTR({column}, 1, 2) IN ({list}) THEN SUBSTR({column}, 1, 2) \
         ELSE SUBSTR({column}, 1, 1) END",
        list = compound_list()
    );
    sql
}

/// SQL computing [`split_name`]'s given name of the text column `column`.
pub fn given_name_sql(backend: DbBackend, column: &str) -> String {
    let mut sql = String::from("CASE");
    for separator in SEPARATORS {
        let at = position(backend, column, separator);
        sql += &format!(" WHEN {at} > 0 THEN SUBSTR({column}, 1, {at} - 1)");
    }
    sql += &format!(
        " WHEN LENGTH({column}) >= 3 AND SUBSTR({column}, 1, 2) IN ({list}) THEN SUBSTR({column}, 3) \
         ELSE SUBSTR({column}, 2) END",
        list = compound_list()
    );
    sql
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(name: &str) -> (&'static str, &'static str) {
        let (family, given) = split_name(name);
        (Box::leak(family.into_boxed_str()), Box::leak(given.into_boxed_str()))
    }

    #[test]
    fn the_family_name_is_the_first_character() {
        assert_eq!(split("王芳"), ("王", "芳"));
        assert_eq!(split("李晓明"), ("李", "晓明"));
        assert_eq!(split("王"), ("王", ""));
        assert_eq!(split(""), ("", ""));
    }

    #[test]
    fn compound_surnames_take_two_characters_when_a_given_name_follows() {
        assert_eq!(split("欧阳修"), ("欧阳", "修"));
        assert_eq!(split("诸葛孔明"), ("诸葛", "孔明"));
        assert_eq!(split("端木蓉"), ("端木", "蓉"));
        assert_eq!(split("欧阳"), ("欧", "阳"));
        // 欧 alone is a surname too: 欧明 is not a compound.
        assert_eq!(split("欧明华"), ("欧", "明华"));
        for surname in COMPOUND_SURNAMES {
            assert_eq!(split_name(&format!("{surname}某")).0, surname);
        }
    }

    #[test]
    fn spaced_and_dotted_names_are_given_name_first() {
        assert_eq!(split("Mary Smith"), ("Smith", "Mary"));
        assert_eq!(split("Mary Ann Smith"), ("Ann Smith", "Mary"));
        assert_eq!(split("阿依古丽·买买提"), ("买买提", "阿依古丽"));
    }

    #[test]
    fn the_sql_is_built_from_the_same_rules() {
        let family = family_name_sql(DbBackend::Sqlite, "t.name");
        assert!(family.starts_with("CASE WHEN INSTR(t.name, ' ') > 0"));
        assert!(family.contains("'欧阳', '司马'") && family.contains("'端木')"));
        let given = given_name_sql(DbBackend::Postgres, "t.name");
        assert!(given.contains("STRPOS(t.name, '·')") && given.ends_with("ELSE SUBSTR(t.name, 2) END"));
    }
}
