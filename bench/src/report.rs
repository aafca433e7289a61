//! The results table: every figure of every engine beside its goal, `met` or `missed`, and
//! `bench/results.json` with the machine and the parameters.

use std::fmt::Write as _;

use serde_json::{json, Value};

/// One figure of one engine.
#[derive(Debug, Clone)]
pub struct Figure {
    pub key: &'static str,
    pub label: &'static str,
    /// The value in `unit`.
    pub value: Option<f64>,
    pub unit: &'static str,
    /// The goal: at most this, in `unit`.
    pub goal: Option<f64>,
    pub note: Option<String>,
}

/// A figure as shown, followed by its note in parentheses if it has one.
pub(crate) fn with_note(shown: String, note: Option<&str>) -> String {
    match note {
        Some(n) => format!("{shown} ({n})"),
        None => shown,
    }
}

impl Figure {
    fn new(
        key: &'static str,
        label: &'static str,
        value: Option<f64>,
        unit: &'static str,
        goal: Option<f64>,
    ) -> Figure {
        Figure { key, label, value, unit, goal, note: None }
    }

    fn noted(self, note: Option<String>) -> Figure {
        Figure { note, ..self }
    }

    pub fn verdict(&self) -> &'static str {
        match (self.value, self.goal) {
            (Some(v), Some(g)) if v <= g => "met",
            (_, Some(_)) => "missed",
            _ => "",
        }
    }

    fn shown(&self) -> String {
        let Some(v) = self.value else { return "—".into() };
        let number = match self.unit {
            "ms" | "MB" => format!("{v:.0} {}", self.unit),
            "×" => format!("{v:.1}×"),
            _ => format!("{v:.2} {}", self.unit),
        };
        with_note(number, self.note.as_deref())
    }

    fn goal_shown(&self) -> String {
        match self.goal {
            Some(g) if self.unit == "×" => format!("≤ {g:.0}× reference"),
            Some(g) => format!("≤ {g} {}", self.unit),
            None => "—".into(),
        }
    }
}

/// The number at `path` in `v`.
pub(crate) fn f(v: &Value, path: &[&str]) -> Option<f64> {
    let mut cur = v;
    for p in path {
        cur = cur.get(*p)?;
    }
    cur.as_f64()
}

/// The figures of one engine's measurement (the JSON `jiaoyan-bench measure` writes).
pub fn figures(m: &Value) -> Vec<Figure> {
    let reference = f(m, &["reference", "best_total_seconds"]);
    let walk = f(m, &["district", "walk_seconds"]);
    let extrapolated = m["district"]["extrapolated"].as_bool().unwrap_or(false);
    let walk_note = extrapolated.then(|| {
        format!(
            "extrapolated from {} of {} pages",
            m["district"]["pages_read"].as_u64().unwrap_or(0),
            m["district"]["pages_total"].as_u64().unwrap_or(0)
        )
    });
    let mb = |path: &[&str]| f(m, path).map(|b| b / 1_048_576.0);
    vec![
        Figure::new(
            "generation_seconds",
            "generation of the county (gen)",
            f(m, &["generation", "seconds"]),
            "s",
            None,
        ),
        Figure::new("reference_seconds", "reference SQL aggregates, best of 3", reference, "s", None),
        Figure::new(
            "one_school_ms",
            "one school's whole check, cold",
            f(m, &["one_school", "walk_seconds"]).map(|s| s * 1000.0),
            "ms",
            Some(100.0),
        )
        .noted(m["one_school"]["pages_total"].as_u64().map(|p| format!("{p} pages"))),
        Figure::new(
            "district_first_page_seconds",
            "district check, first page, cold",
            f(m, &["district", "first_page_seconds"]),
            "s",
            None,
        ),
        Figure::new("district_walk_seconds", "district check, every page walked, cold", walk, "s", Some(2.0))
            .noted(walk_note.clone()),
        Figure::new(
            "district_walk_over_reference",
            "district walk ÷ reference aggregates",
            walk.zip(reference).map(|(w, r)| w / r),
            "×",
            Some(2.0),
        )
        .noted(walk_note),
        Figure::new(
            "further_page_ms",
            "a further page once computed (median of 10)",
            f(m, &["further_page", "median_seconds"]).map(|s| s * 1000.0),
            "ms",
            Some(100.0),
        ),
        Figure::new(
            "rss_before_district_mb",
            "service RSS before the district check",
            mb(&["rss_before_district_bytes"]),
            "MB",
            None,
        ),
        Figure::new(
            "peak_rss_mb",
            "peak service RSS (VmHWM) after the walk",
            mb(&["peak_rss_bytes"]),
            "MB",
            Some(200.0),
        ),
        Figure::new(
            "compliance_xlsx_seconds",
            "district compliance report as XLSX, cold",
            f(m, &["xlsx", "seconds"]),
            "s",
            Some(5.0),
        )
        .noted(f(m, &["xlsx", "bytes"]).map(|b| format!("{:.1} MB", b / 1_048_576.0))),
    ]
}

/// The table, one column per engine.
pub fn table(engines: &[(String, Value)]) -> String {
    let columns: Vec<(String, Vec<Figure>)> = engines.iter().map(|(n, m)| (n.clone(), figures(m))).collect();
    let Some((_, first)) = columns.first() else { return String::new() };
    let mut rows: Vec<Vec<String>> = vec![{
        let mut h = vec!["figure".to_string(), "goal".to_string()];
        h.extend(columns.iter().map(|c| c.0.clone()));
        h
    }];
    for (i, fig) in first.iter().enumerate() {
        let mut row = vec![fig.label.to_string(), fig.goal_shown()];
        for (_, figs) in &columns {
            let g = &figs[i];
            let v = g.verdict();
            row.push(if v.is_empty() { g.shown() } else { format!("{} {v}", g.shown()) });
        }
        rows.push(row);
    }
    let widths: Vec<usize> =
        (0..rows[0].len()).map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0)).collect();
    let mut out = String::new();
    for (k, row) in rows.iter().enumerate() {
        let cells: Vec<String> =
            row.iter().zip(&widths).map(|(c, w)| format!("{c}{}", " ".repeat(w - c.chars().count()))).collect();
        let _ = writeln!(out, "| {} |", cells.join(" | "));
        if k == 0 {
            let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
            let _ = writeln!(out, "|-{}-|", rule.join("-|-"));
        }
    }
    out
}

/// The machine the run happened on.
pub fn machine() -> Value {
    let read = |p: &str| std::fs::read_to_string(p).unwrap_or_default();
    let cpuinfo = read("/proc/cpuinfo");
    let cpu = cpuinfo
        .lines()
        .find(|l| l.starts_with("model name"))
        .and_then(|l| l.split(':').nth(1))
        .map(|s| s.trim().to_string());
    let mem_kb: Option<u64> = read("/proc/meminfo")
        .lines()
        .find(|l| l.starts_with("MemTotal:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|n| n.parse().ok());
    json!({
        "nproc": std::thread::available_parallelism().map(|n| n.get()).ok(),
        "memory_bytes": mem_kb.map(|k| k * 1024),
        "cpu_model": cpu,
        "kernel": read("/proc/sys/kernel/osrelease").trim(),
    })
}

fn git(args: &[&str]) -> Option<String> {
    let out = std::process::Command::new("git").args(args).output().ok()?;
    out.status.success().then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}

/// `results.json`: the machine, the parameters and, per engine, every figure with its goal and
/// verdict and the raw measurement.
pub fn results(parameters: Value, engines: &[(String, Value)]) -> Value {
    let dirty = git(&["status", "--porcelain", "--untracked-files=no"]).is_some_and(|s| !s.is_empty());
    let mut per_engine = serde_json::Map::new();
    for (name, m) in engines {
        let figs: Vec<Value> = figures(m)
            .iter()
            .map(|fig| {
                json!({
                    "key": fig.key, "figure": fig.label, "value": fig.value, "unit": fig.unit,
                    "goal_at_most": fig.goal, "verdict": fig.verdict(), "note": fig.note,
                })
            })
            .collect();
        per_engine.insert(name.clone(), json!({"figures": figs, "measurement": m}));
    }
    json!({
        "machine": machine(),
        "date": chrono::Utc::now().to_rfc3339(),
        "git_commit": git(&["rev-parse", "HEAD"]),
        "git_dirty": dirty,
        "parameters": parameters,
        "engines": per_engine,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn verdicts_compare_with_the_goal_and_the_table_has_every_engine() {
        let m = json!({
            "reference": {"best_total_seconds": 0.5},
            "district": {"walk_seconds": 0.9, "first_page_seconds": 0.4, "extrapolated": false},
            "one_school": {"walk_seconds": 0.2, "pages_total": 3},
            "further_page": {"median_seconds": 0.01},
            "peak_rss_bytes": 300.0 * 1_048_576.0,
            "xlsx": {"seconds": 1.0, "bytes": 2_000_000},
        });
        let figs = figures(&m);
        let by = |k: &str| figs.iter().find(|f| f.key == k).unwrap().verdict();
        assert_eq!(by("district_walk_seconds"), "met");
        assert_eq!(by("district_walk_over_reference"), "met");
        assert_eq!(by("one_school_ms"), "missed");
        assert_eq!(by("peak_rss_mb"), "missed");
        assert_eq!(by("generation_seconds"), "");
        let t = table(&[("sqlite".into(), m.clone()), ("postgres".into(), m)]);
        assert!(t.contains("sqlite") && t.contains("postgres") && t.contains("missed"));
    }
}
