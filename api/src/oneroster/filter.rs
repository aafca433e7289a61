//! The `filter=` grammar of the OneRoster REST binding, parsed into plain data (no SQL here: see
//! `fields.rs` for what a field means and `sql.rs` for how a predicate is evaluated).
//!
//! ```text
//! filter    = predicate *( SP logical SP predicate )
//! predicate = field [SP] op [SP] value
//! op        = "=" / "!=" / ">" / ">=" / "<" / "<=" / "~"      ; ~ is "contains"
//! value     = "'" *( any character but "'" / "''" ) "'"       ; '' is one quote
//!           / bare word (no space, no quote)                   ; true, 42 ...
//! logical   = "AND" / "OR"                                     ; any case
//! ```
//!
//! The binding allows one logical operator (two predicates); we take up to
//! [`MAX_PREDICATES`] with the usual precedence (AND binds tighter than OR, no parentheses), so the
//! result is a disjunction of conjunctions. Parsing never fails with a panic: every input is either
//! a [`Filter`] or a [`FilterError`] naming the field it is about (or `filter` itself).

/// Beyond this a filter is refused (a bound on the SQL we generate).
pub const MAX_PREDICATES: usize = 20;

/// A comparison operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Eq,
    Ne,
    Gt,
    Ge,
    Lt,
    Le,
    /// `~`: the field contains the value.
    Contains,
}

impl Op {
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Eq => "=",
            Op::Ne => "!=",
            Op::Gt => ">",
            Op::Ge => ">=",
            Op::Lt => "<",
            Op::Le => "<=",
            Op::Contains => "~",
        }
    }
}

/// `field op 'value'`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Predicate {
    pub field: String,
    pub op: Op,
    /// Unquoted: `'O''Brien'` is `O'Brien`.
    pub value: String,
}

/// A parsed filter: the rows matching ANY of the groups, where a group matches when ALL of its
/// predicates do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filter {
    pub any: Vec<Vec<Predicate>>,
}

impl Filter {
    pub fn predicates(&self) -> impl Iterator<Item = &Predicate> {
        self.any.iter().flatten()
    }
}

/// Why a filter was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FilterError {
    /// The field concerned; `filter` when the expression itself is malformed.
    pub field: String,
    pub message: String,
}

fn error(field: &str, message: impl Into<String>) -> FilterError {
    FilterError { field: field.to_string(), message: message.into() }
}

/// Parses a `filter=` value. `Ok(None)` for an empty or blank one (no filter).
pub fn parse(input: &str) -> Result<Option<Filter>, FilterError> {
    let mut p = Parser { chars: input.chars().collect(), at: 0 };
    p.skip_spaces();
    if p.done() {
        return Ok(None);
    }
    let mut any = vec![vec![p.predicate()?]];
    let mut count = 1;
    loop {
        let spaced = p.skip_spaces();
        if p.done() {
            break;
        }
        let logical = p.word();
        let next_is_predicate_start = p.skip_spaces();
        match logical.to_ascii_uppercase().as_str() {
            "AND" | "OR" if spaced && next_is_predicate_start && !p.done() => {}
            "AND" | "OR" => return Err(error("filter", format!("'{logical}' must be followed by a predicate"))),
            _ => {
                return Err(error(
                    "filter",
                    format!("expected AND or OR between predicates, found '{}'", truncate(&logical)),
                ))
            }
        }
        count += 1;
        if count > MAX_PREDICATES {
            return Err(error("filter", format!("at most {MAX_PREDICATES} predicates")));
        }
        let predicate = p.predicate()?;
        if logical.eq_ignore_ascii_case("AND") {
            any.last_mut().expect("a group exists").push(predicate);
        } else {
            any.push(vec![predicate]);
        }
    }
    Ok(Some(Filter { any }))
}

fn truncate(s: &str) -> String {
    if s.chars().count() > 40 {
        s.chars().take(40).collect::<String>() + "…"
    } else {
        s.to_string()
    }
}

struct Parser {
    chars: Vec<char>,
    at: usize,
}

impl Parser {
    fn done(&self) -> bool {
        self.at >= self.chars.len()
    }

    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    /// Skips whitespace; whether there was any.
    fn skip_spaces(&mut self) -> bool {
        let start = self.at;
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
        self.at > start
    }

    /// A run of characters up to whitespace (for AND/OR and bare values).
    fn word(&mut self) -> String {
        let start = self.at;
        while self.peek().is_some_and(|c| !c.is_whitespace()) {
            self.at += 1;
        }
        self.chars[start..self.at].iter().collect()
    }

    fn predicate(&mut self) -> Result<Predicate, FilterError> {
        let start = self.at;
        while self.peek().is_some_and(|c| c.is_ascii_alphanumeric() || c == '.' || c == '_') {
            self.at += 1;
        }
        let field: String = self.chars[start..self.at].iter().collect();
        if field.is_empty() {
            let found = self.peek().map(|c| format!("'{c}'")).unwrap_or_else(|| "the end".into());
            return Err(error("filter", format!("expected a field name, found {found}")));
        }
        self.skip_spaces();
        let op = self.op().ok_or_else(|| {
            error(&field, format!("expected one of = != > >= < <= ~ after {field}", field = truncate(&field)))
        })?;
        self.skip_spaces();
        let value = match self.peek() {
            Some('\'') => self.quoted(&field)?,
            Some(c) if !c.is_whitespace() => self.word(),
            _ => return Err(error(&field, format!("{field} {} needs a value", op.symbol()))),
        };
        Ok(Predicate { field, op, value })
    }

    fn op(&mut self) -> Option<Op> {
        let two: String = self.chars.iter().skip(self.at).take(2).collect();
        let (op, len) = match two.as_str() {
            ">=" => (Op::Ge, 2),
            "<=" => (Op::Le, 2),
            "!=" => (Op::Ne, 2),
            _ => match self.peek()? {
                '=' => (Op::Eq, 1),
                '>' => (Op::Gt, 1),
                '<' => (Op::Lt, 1),
                '~' => (Op::Contains, 1),
                _ => return None,
            },
        };
        self.at += len;
        Some(op)
    }

    /// A single-quoted value; `''` inside stands for one quote.
    fn quoted(&mut self, field: &str) -> Result<String, FilterError> {
        self.at += 1; // the opening quote
        let mut value = String::new();
        loop {
            match self.peek() {
                None => return Err(error(field, format!("the value of {field} has no closing quote"))),
                Some('\'') if self.chars.get(self.at + 1) == Some(&'\'') => {
                    value.push('\'');
                    self.at += 2;
                }
                Some('\'') => {
                    self.at += 1;
                    return Ok(value);
                }
                Some(c) => {
                    value.push(c);
                    self.at += 1;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(field: &str, op: Op, value: &str) -> Predicate {
        Predicate { field: field.into(), op, value: value.into() }
    }

    fn one(input: &str) -> Predicate {
        let filter = parse(input).unwrap().unwrap();
        assert_eq!(filter.any.len(), 1);
        assert_eq!(filter.any[0].len(), 1);
        filter.any[0][0].clone()
    }

    #[test]
    fn every_operator_is_read() {
        assert_eq!(one("status='active'"), p("status", Op::Eq, "active"));
        assert_eq!(one("status!='active'"), p("status", Op::Ne, "active"));
        assert_eq!(
            one("dateLastModified>'2026-09-01T00:00:00Z'"),
            p("dateLastModified", Op::Gt, "2026-09-01T00:00:00Z")
        );
        assert_eq!(one("dateLastModified>='2026-09-01'"), p("dateLastModified", Op::Ge, "2026-09-01"));
        assert_eq!(one("startDate<'2027-01-01'"), p("startDate", Op::Lt, "2027-01-01"));
        assert_eq!(one("startDate<='2027-01-01'"), p("startDate", Op::Le, "2027-01-01"));
        assert_eq!(one("familyName~'欧阳'"), p("familyName", Op::Contains, "欧阳"));
    }

    #[test]
    fn spaces_around_operators_and_bare_values_are_accepted() {
        assert_eq!(one("  status = 'active'  "), p("status", Op::Eq, "active"));
        assert_eq!(one("enabledUser=true"), p("enabledUser", Op::Eq, "true"));
        assert_eq!(one("name=="), p("name", Op::Eq, "="));
        assert_eq!(one("parent.sourcedId = 'zone-east'"), p("parent.sourcedId", Op::Eq, "zone-east"));
    }

    #[test]
    fn doubled_quotes_are_one_quote_and_operators_inside_quotes_are_text() {
        assert_eq!(one("name='O''Brien'"), p("name", Op::Eq, "O'Brien"));
        assert_eq!(one("name=''''"), p("name", Op::Eq, "'"));
        assert_eq!(one("name=''"), p("name", Op::Eq, ""));
        assert_eq!(one("name='a AND b>=c'"), p("name", Op::Eq, "a AND b>=c"));
    }

    #[test]
    fn and_binds_tighter_than_or() {
        let f = parse("type='school' AND status='active' OR name~'小学' and identifier!=''").unwrap().unwrap();
        assert_eq!(
            f.any,
            vec![
                vec![p("type", Op::Eq, "school"), p("status", Op::Eq, "active")],
                vec![p("name", Op::Contains, "小学"), p("identifier", Op::Ne, "")],
            ]
        );
        let f = parse("status='active' OR status='tobedeleted'").unwrap().unwrap();
        assert_eq!(f.any.len(), 2);
        assert_eq!(f.predicates().count(), 2);
    }

    #[test]
    fn blank_filters_are_no_filter() {
        assert_eq!(parse(""), Ok(None));
        assert_eq!(parse("   "), Ok(None));
    }

    #[test]
    fn malformed_filters_name_the_field_or_the_filter() {
        let field_of = |input: &str| parse(input).unwrap_err().field;
        assert_eq!(field_of("status"), "status"); // no operator
        assert_eq!(field_of("status='active"), "status"); // unclosed quote
        assert_eq!(field_of("status="), "status"); // no value
        assert_eq!(field_of("='x'"), "filter"); // no field
        assert_eq!(field_of("status='a' AND"), "filter"); // dangling logical
        assert_eq!(field_of("status='a' XOR name='b'"), "filter");
        assert_eq!(field_of("status='a'name='b'"), "filter"); // no space before a logical
        assert_eq!(field_of("status='a' ANDname='b'"), "filter");
        assert_eq!(field_of("status^'a'"), "status");
    }

    #[test]
    fn too_many_predicates_are_refused() {
        let many = vec!["status='active'"; MAX_PREDICATES + 1].join(" OR ");
        assert_eq!(parse(&many).unwrap_err().field, "filter");
        let enough = vec!["status='active'"; MAX_PREDICATES].join(" AND ");
        assert_eq!(parse(&enough).unwrap().unwrap().predicates().count(), MAX_PREDICATES);
    }

    #[test]
    fn arbitrary_input_never_panics() {
        for input in [
            "'",
            "''",
            "a",
            "a=",
            "a='",
            "a=''''",
            "a=b c",
            "a=b AND",
            "~",
            "a~~'x'",
            "a = ' ' OR b = '\u{0}'",
            "中文='x'",
            "a.b.c>=x",
        ] {
            let _ = parse(input);
        }
    }
}
