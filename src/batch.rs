//! `batch`: many incidents (ctrlmap TOML or VERIS JSON) against one catalog, one row
//! each; the counts per framework and control go to JSON or to a summary file. A file that cannot be read is
//! reported and skipped; the others still run.

use std::collections::BTreeMap;

use jiff::Timestamp;
use serde_json::{Value, json};

use crate::evaluate::{Exposure, Status};
use crate::report::rfc3339;

/// One incident's summary.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Row {
    /// The input file, as given.
    pub file: String,
    /// Incident id.
    pub id: String,
    /// Frameworks that apply.
    pub applies: Vec<String>,
    /// Frameworks that may apply.
    pub may_apply: Vec<String>,
    /// Obligations that apply.
    pub obligations_applying: usize,
    /// Obligations that may apply.
    pub obligations_possible: usize,
    /// The earliest computed due time, and its obligation.
    pub earliest: Option<(Timestamp, String)>,
    /// Timeline dates that clocks of the report wait for (`determined`, ...).
    pub waiting_for: Vec<String>,
    /// Places the incident names that no framework of the catalog speaks to, as
    /// facts: `residency:ZA`, `established:ZA`.
    pub not_covered: Vec<String>,
}

impl Row {
    /// Summarises an exposure.
    #[must_use]
    pub(crate) fn of(file: &str, e: &Exposure<'_>) -> Row {
        let ids = |status: Status| -> Vec<String> {
            e.frameworks
                .iter()
                .filter(|f| f.status == status)
                .map(|f| f.framework.id.to_string())
                .collect()
        };
        let obligations = e
            .frameworks
            .iter()
            .flat_map(|f| f.controls.iter().flat_map(|c| c.obligations.iter()));
        let (mut applying, mut possible) = (0, 0);
        for o in obligations {
            if o.status == Status::Applies {
                applying += 1;
            } else {
                possible += 1;
            }
        }
        Row {
            file: file.to_owned(),
            id: e.incident.id.clone(),
            applies: ids(Status::Applies),
            may_apply: ids(Status::MayApply),
            obligations_applying: applying,
            obligations_possible: possible,
            earliest: e
                .timeline
                .iter()
                .filter(|t| t.done.is_none())
                .find_map(|t| t.due.map(|due| (due, t.obligation.clone()))),
            waiting_for: e.date_questions.iter().map(|q| q.key.as_str().to_owned()).collect(),
            not_covered: e
                .coverage
                .iter()
                .filter(|g| g.kind == crate::coverage::GapKind::NotCovered)
                .map(crate::coverage::Gap::key)
                .collect(),
        }
    }
}

/// Counts of incidents per framework and control status.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Summary {
    /// Incidents evaluated.
    pub incidents: usize,
    /// Files skipped.
    pub skipped: usize,
    /// Framework id → (applies, may apply).
    pub frameworks: BTreeMap<String, (usize, usize)>,
    /// Control id → (applies, may apply).
    pub controls: BTreeMap<String, (usize, usize)>,
}

impl Summary {
    /// Adds the counts of another summary (of other incidents).
    pub(crate) fn merge(&mut self, other: Summary) {
        self.incidents += other.incidents;
        self.skipped += other.skipped;
        for (mine, theirs) in [
            (&mut self.frameworks, other.frameworks),
            (&mut self.controls, other.controls),
        ] {
            for (id, (applies, may_apply)) in theirs {
                let entry = mine.entry(id).or_default();
                entry.0 += applies;
                entry.1 += may_apply;
            }
        }
    }

    /// Adds one exposure.
    pub(crate) fn add(&mut self, e: &Exposure<'_>) {
        self.incidents += 1;
        let bump = |entry: &mut (usize, usize), status: Status| match status {
            Status::Applies => entry.0 += 1,
            Status::MayApply => entry.1 += 1,
            Status::NotApplicable => {}
        };
        for f in &e.frameworks {
            bump(self.frameworks.entry(f.framework.id.to_string()).or_default(), f.status);
            for c in &f.controls {
                bump(self.controls.entry(c.control.id.to_string()).or_default(), c.status);
            }
        }
    }
}

/// A CSV cell: quoted when needed, and defused when a spreadsheet would read it as a
/// formula (a leading `=`, `+`, `-`, `@`, tab or carriage return gets a `'` before it).
#[must_use]
pub(crate) fn csv_cell(text: &str) -> String {
    // Control, bidi and invisible characters would reach a terminal or a spreadsheet as
    // they are; they become `?`.
    let text = crate::text::defuse(text);
    let defused = if text.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{text}")
    } else {
        text.into_owned()
    };
    if defused.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", defused.replace('"', "\"\""))
    } else {
        defused
    }
}

fn csv_line(cells: &[String]) -> String {
    let mut line = cells.iter().map(|c| csv_cell(c)).collect::<Vec<_>>().join(",");
    line.push('\n');
    line
}

/// The rows as one CSV table: a header, then one row per incident.
#[must_use]
pub(crate) fn csv(rows: &[Row]) -> String {
    let mut out = csv_line(
        &[
            "file",
            "id",
            "applies",
            "may_apply",
            "obligations_applying",
            "obligations_possible",
            "earliest_due",
            "earliest_obligation",
            "waiting_for",
            "not_covered",
        ]
        .map(str::to_owned),
    );
    for r in rows {
        out.push_str(&csv_line(&[
            r.file.clone(),
            r.id.clone(),
            r.applies.join(" "),
            r.may_apply.join(" "),
            r.obligations_applying.to_string(),
            r.obligations_possible.to_string(),
            r.earliest.as_ref().map(|(t, _)| rfc3339(*t)).unwrap_or_default(),
            r.earliest.as_ref().map(|(_, o)| o.clone()).unwrap_or_default(),
            r.waiting_for.join(" "),
            r.not_covered.join(" "),
        ]));
    }
    out
}

/// The counts per framework and control as one CSV table (the incidents are the rows of
/// [`csv`]; skipped files are reported on stderr).
#[must_use]
pub(crate) fn summary_csv(summary: &Summary) -> String {
    let mut out = csv_line(&["item", "kind", "applies", "may_apply"].map(str::to_owned));
    for (id, (a, m)) in &summary.frameworks {
        out.push_str(&csv_line(&[
            id.clone(),
            "framework".to_owned(),
            a.to_string(),
            m.to_string(),
        ]));
    }
    for (id, (a, m)) in &summary.controls {
        out.push_str(&csv_line(&[
            id.clone(),
            "control".to_owned(),
            a.to_string(),
            m.to_string(),
        ]));
    }
    out
}

/// Rows and summary as JSON.
#[must_use]
pub(crate) fn json(rows: &[Row], summary: &Summary) -> String {
    let counts = |m: &BTreeMap<String, (usize, usize)>| -> Value {
        m.iter()
            .map(|(id, (a, p))| json!({"id": id, "applies": a, "may_apply": p}))
            .collect::<Vec<_>>()
            .into()
    };
    let value = json!({
        "schema_version": 1,
        "incidents": rows.iter().map(|r| json!({
            "file": r.file,
            "id": r.id,
            "applies": r.applies,
            "may_apply": r.may_apply,
            "obligations_applying": r.obligations_applying,
            "obligations_possible": r.obligations_possible,
            "earliest_due": r.earliest.as_ref().map(|(t, _)| rfc3339(*t)),
            "earliest_obligation": r.earliest.as_ref().map(|(_, o)| o),
            "waiting_for": r.waiting_for,
            "not_covered": r.not_covered,
        })).collect::<Vec<_>>(),
        "summary": {
            "incidents": summary.incidents,
            "skipped": summary.skipped,
            "frameworks": counts(&summary.frameworks),
            "controls": counts(&summary.controls),
        },
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::csv_cell;

    #[test]
    fn formulas_are_defused_and_cells_quoted() {
        assert_eq!(csv_cell("=HYPERLINK(\"x\")"), "\"'=HYPERLINK(\"\"x\"\")\"");
        assert_eq!(csv_cell("+1"), "'+1");
        assert_eq!(csv_cell("-2"), "'-2");
        assert_eq!(csv_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("plain"), "plain");
    }
}
