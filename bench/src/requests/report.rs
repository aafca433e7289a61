//! The request-path figures of one engine beside its goals (bench/README.md, "Goals of the request
//! path"), `met` or `missed`.

use std::fmt::Write as _;

use serde_json::{json, Value};

use crate::report::{f, with_note};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Goal {
    AtLeast(f64),
    AtMost(f64),
    None,
}

#[derive(Debug, Clone)]
pub struct Figure {
    pub key: &'static str,
    pub label: &'static str,
    pub value: Option<f64>,
    pub unit: &'static str,
    pub goal: Goal,
    pub note: Option<String>,
}

impl Figure {
    fn new(key: &'static str, label: &'static str, value: Option<f64>, unit: &'static str, goal: Goal) -> Figure {
        Figure { key, label, value, unit, goal, note: None }
    }

    fn noted(self, note: Option<String>) -> Figure {
        Figure { note, ..self }
    }

    pub fn verdict(&self) -> &'static str {
        match (self.value, self.goal) {
            (_, Goal::None) => "",
            (Some(v), Goal::AtLeast(g)) if v >= g => "met",
            (Some(v), Goal::AtMost(g)) if v <= g => "met",
            _ => "missed",
        }
    }

    fn shown(&self) -> String {
        let Some(v) = self.value else { return "—".into() };
        let number = match self.unit {
            "%" => format!("{v:.0} %"),
            "ms" => format!("{v:.1} ms"),
            "" => format!("{v:.0}"),
            _ => format!("{v:.0} {}", self.unit),
        };
        with_note(number, self.note.as_deref())
    }

    fn goal_shown(&self) -> String {
        match self.goal {
            Goal::AtLeast(g) => format!("≥ {g} {}", self.unit).trim_end().to_string(),
            Goal::AtMost(g) => format!("≤ {g} {}", self.unit).trim_end().to_string(),
            Goal::None => "—".into(),
        }
    }
}

fn ratio(m: &Value, scenario: &str) -> Option<f64> {
    let j = f(m, &[scenario, "jiaoyan", "per_second"])?;
    let floor = f(m, &[scenario, "floor", "per_second"])?;
    (floor > 0.0).then(|| 100.0 * j / floor)
}

fn per_second(m: &Value, scenario: &str, target: &str) -> Option<String> {
    f(m, &[scenario, target, "per_second"]).map(|v| format!("{target} {v:.0}/s"))
}

/// Jiaoyan's, the floor's and the ceiling's requests per second in `scenario`.
fn rates(m: &Value, scenario: &str) -> String {
    [
        f(m, &[scenario, "jiaoyan", "per_second"]).map(|v| format!("{v:.0}/s")),
        per_second(m, scenario, "floor"),
        per_second(m, scenario, "ceiling"),
    ]
    .into_iter()
    .flatten()
    .collect::<Vec<_>>()
    .join(", ")
}

/// The figures of one engine's request measurement (`jiaoyan-bench requests --out`).
pub fn figures(engine: &str, m: &Value) -> Vec<Figure> {
    let sqlite = engine == "sqlite";
    let postgres = engine == "postgres";
    let (read_note, list_note) = (rates(m, "read"), rates(m, "list"));
    let sync_note = m["sync"]["background_seconds"]
        .as_f64()
        .map(|s| format!("{} teachers in {s:.1} s", m["sync"]["background"]["teachers"]));
    vec![
        Figure::new(
            "read_vs_floor_percent",
            "GET /teachers/{id}: Jiaoyan ÷ floor req/s",
            ratio(m, "read"),
            "%",
            Goal::AtLeast(70.0),
        )
        .noted(Some(read_note)),
        Figure::new(
            "read_p99_ms",
            "GET /teachers/{id}: p99 at 64 connections",
            f(m, &["read", "jiaoyan", "p99_ms"]),
            "ms",
            Goal::AtMost(25.0),
        )
        .noted(f(m, &["read", "floor", "p99_ms"]).map(|v| format!("floor {v:.1} ms"))),
        Figure::new(
            "list_vs_floor_percent",
            "GET /teachers?limit=50: Jiaoyan ÷ floor req/s",
            ratio(m, "list"),
            "%",
            Goal::AtLeast(75.0),
        )
        .noted(Some(list_note)),
        Figure::new(
            "writes_per_second",
            "POST /observations: writes/s",
            f(m, &["write", "jiaoyan", "per_second"]),
            "/s",
            if sqlite { Goal::AtLeast(1500.0) } else { Goal::None },
        ),
        Figure::new(
            "write_p99_ms",
            "POST /observations: p99",
            f(m, &["write", "jiaoyan", "p99_ms"]),
            "ms",
            if sqlite { Goal::AtMost(50.0) } else { Goal::None },
        ),
        Figure::new(
            "write_errors",
            "POST /observations: errors",
            f(m, &["write", "jiaoyan", "errors"]),
            "",
            if sqlite { Goal::AtMost(0.0) } else { Goal::None },
        ),
        Figure::new(
            "reads_during_logins_p99_ms",
            "reads' p99 while 100 accounts log in at once",
            f(m, &["logins", "during", "p99_ms"]),
            "ms",
            Goal::AtMost(50.0),
        )
        .noted(f(m, &["logins", "before", "p99_ms"]).map(|v| {
            format!(
                "{} logins in {:.1} s; {v:.1} ms before",
                m["logins"]["background"]["logins"],
                f(m, &["logins", "background_seconds"]).unwrap_or(0.0)
            )
        })),
        Figure::new(
            "writes_during_sync_p99_ms",
            "observation writes' p99 during a sync",
            f(m, &["sync", "during", "p99_ms"]),
            "ms",
            if postgres { Goal::AtMost(100.0) } else { Goal::None },
        )
        .noted(sync_note),
    ]
}

/// The table of every engine's request figures (engines in columns).
pub fn table(engines: &[(String, Value)]) -> String {
    let per: Vec<Vec<Figure>> = engines.iter().map(|(e, m)| figures(e, m)).collect();
    let Some(first) = per.first() else { return String::new() };
    let mut out = String::new();
    let _ = write!(out, "| request path (issue 15) | goal |");
    for (name, _) in engines {
        let _ = write!(out, " {name} |");
    }
    out.push('\n');
    out.push_str(&"|---".repeat(engines.len() + 2));
    out.push_str("|\n");
    for (i, fig) in first.iter().enumerate() {
        // A goal may hold on one engine only (writes/s on SQLite, the sync on PostgreSQL).
        let with_goal: Vec<&str> = engines
            .iter()
            .zip(&per)
            .filter(|(_, figs)| figs[i].goal != Goal::None)
            .map(|((e, _), _)| e.as_str())
            .collect();
        let goal = match per.iter().map(|figs| &figs[i]).find(|g| g.goal != Goal::None) {
            Some(g) if with_goal.len() == engines.len() => g.goal_shown(),
            Some(g) => format!("{} ({})", g.goal_shown(), with_goal.join(", ")),
            None => "—".into(),
        };
        let _ = write!(out, "| {} | {goal} |", fig.label);
        for figs in &per {
            let g = &figs[i];
            let verdict = if g.verdict().is_empty() { String::new() } else { format!(" **{}**", g.verdict()) };
            let _ = write!(out, " {}{verdict} |", g.shown());
        }
        out.push('\n');
    }
    out
}

/// The `requests` section of results.json: per engine, the figures and the measurement.
pub fn results(engines: &[(String, Value)]) -> Value {
    let mut per = serde_json::Map::new();
    for (name, m) in engines {
        let figs: Vec<Value> = figures(name, m)
            .iter()
            .map(|fig| {
                let (at_least, at_most) = match fig.goal {
                    Goal::AtLeast(g) => (Some(g), None),
                    Goal::AtMost(g) => (None, Some(g)),
                    Goal::None => (None, None),
                };
                json!({"key": fig.key, "figure": fig.label, "value": fig.value, "unit": fig.unit,
                       "goal_at_least": at_least, "goal_at_most": at_most, "verdict": fig.verdict(), "note": fig.note})
            })
            .collect();
        per.insert(name.clone(), json!({"figures": figs, "measurement": m}));
    }
    Value::Object(per)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratios_and_goals_by_engine() {
        let m = json!({
            "read": {"jiaoyan": {"per_second": 700.0, "p99_ms": 30.0}, "floor": {"per_second": 1000.0}},
            "list": {"jiaoyan": {"per_second": 70.0}, "floor": {"per_second": 100.0}},
            "write": {"jiaoyan": {"per_second": 1600.0, "p99_ms": 40.0, "errors": 0}},
            "logins": {"during": {"p99_ms": 60.0}},
            "sync": {"skipped": "--sync-teachers 0"},
        });
        let by = |engine: &str, k: &str| figures(engine, &m).into_iter().find(|f| f.key == k).unwrap();
        assert_eq!(by("sqlite", "read_vs_floor_percent").verdict(), "met");
        assert_eq!(by("sqlite", "read_p99_ms").verdict(), "missed");
        assert_eq!(by("sqlite", "list_vs_floor_percent").verdict(), "missed");
        assert_eq!(by("sqlite", "writes_per_second").verdict(), "met");
        assert_eq!(by("postgres", "writes_per_second").verdict(), "", "reported, no goal on PostgreSQL");
        assert_eq!(by("sqlite", "write_errors").verdict(), "met");
        assert_eq!(by("sqlite", "reads_during_logins_p99_ms").verdict(), "missed");
        assert_eq!(by("postgres", "writes_during_sync_p99_ms").verdict(), "missed", "skipped is not met");
        let t = table(&[("sqlite".into(), m.clone()), ("postgres".into(), m)]);
        assert!(t.contains("| request path (issue 15) | goal | sqlite | postgres |"), "{t}");
        assert!(t.contains("| POST /observations: writes/s | ≥ 1500 /s (sqlite) |"), "{t}");
    }
}
