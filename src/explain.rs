//! `explain`: why one framework, control or obligation does or does not apply to an
//! incident. It shows every condition on the way (framework scope, control `when`,
//! obligation `when`), each atom's value and where that value came from, and, for an
//! undecided item, what each open question's answer would make of it.

use std::fmt::Write as _;

use crate::applicability::{ConditionKind, Item};
use crate::diag::{Code, Diagnostic, SourceMap, did_you_mean};
use crate::evaluate::{Due, Exposure, ScopeMode, Status};
use crate::facts::FactValues;
use crate::incident::Assumption;
use crate::model::{Catalog, ControlStatus};
use crate::provenance::FactView;
use crate::report::{counted_from, short_time};
use crate::rule::Term;
use crate::truth::Truth;

fn find<'c>(catalog: &'c Catalog, id: &str) -> Result<Item<'c>, Diagnostic> {
    if let Some(item) = Item::find(catalog, id) {
        return Ok(item);
    }
    let all = catalog
        .frameworks
        .iter()
        .map(|f| f.id.as_str())
        .chain(catalog.controls().map(|c| c.id.as_str()))
        .chain(catalog.obligations().map(|o| o.id.as_str()));
    let mut d = Diagnostic::error(
        Code::DanglingReference,
        format!("`{id}` is not a framework, control or obligation of the catalog"),
    );
    if let Some(s) = did_you_mean(id, all) {
        d = d.note(format!("help: did you mean `{s}`?"));
    }
    Err(d.note("help: `ctrlmap list controls` lists every id"))
}

fn status_words(status: Status, framework: bool) -> &'static str {
    match (status, framework) {
        (Status::Applies, _) => "applies",
        (Status::MayApply, _) => "may apply",
        (Status::NotApplicable, true) => "is not applicable",
        (Status::NotApplicable, false) => "does not apply (it is left out of the report)",
    }
}

/// Where a value came from, in the report's words, with its place in the file.
fn provenance(view: &FactView, chain: &[String], map: &SourceMap) -> String {
    let root = match &view.loc {
        Some(loc) => format!("{}, at {}", view.root, map.position(loc)),
        None => view.root.clone(),
    };
    if chain.len() == 1 {
        root
    } else {
        let how = if view.value == Truth::False.as_str() {
            "falsity carried back"
        } else {
            "carried forward"
        };
        format!("via implies ({how}): {}; `{}` {root}", chain.join(" → "), view.root_key)
    }
}

/// Explains one item of an evaluated incident: the verdict is the evaluation's.
pub fn explain(e: &Exposure<'_>, map: &SourceMap, id: &str) -> Result<String, Diagnostic> {
    let catalog = e.catalog;
    let incident = e.incident;
    let item = find(catalog, id)?;
    let verdict = e.verdict(&item);
    let conds = item.conditions(e.scope);
    let is_framework = matches!(item, Item::Framework(_));
    let mut out = String::new();
    let _ = writeln!(out, "# Why `{id}` {}\n", status_words(verdict.status, is_framework));
    let _ = writeln!(
        out,
        "Incident {} ({}) · scope: {}\n",
        crate::report::markdown::escape(&incident.id),
        crate::report::markdown::escape(map.name(incident.file)),
        if e.scope == ScopeMode::Org {
            "organisation"
        } else {
            "all (framework scopes ignored)"
        }
    );
    if let Some(gate) = verdict.gated {
        let why = match gate {
            ControlStatus::Withdrawn => "was withdrawn by its publisher",
            ControlStatus::Reference | ControlStatus::Active => "is kept for reference and mapping only",
        };
        let control = item.control().map_or(id, |c| c.id.as_str());
        let _ = writeln!(
            out,
            "Result: not-applicable — control `{control}` has status `{}`: it {why}, so it is never evaluated against an incident.",
            gate.as_str()
        );
        return Ok(out);
    }
    let verdict_words = match verdict.outcome.value {
        Truth::True => "every condition below is true.",
        Truth::Unknown => "no condition below is false, and some depend on unknown facts.",
        Truth::False => "a condition below is false.",
    };
    let _ = writeln!(out, "Result: {} — {verdict_words}\n", verdict.status.as_str());
    out.push_str("## Conditions\n\n");
    for (i, c) in conds.iter().enumerate() {
        let what = match c.kind {
            ConditionKind::Scope => format!("framework `{}` scope", c.owner),
            ConditionKind::When if item.control().is_some_and(|ctl| ctl.id == c.owner) => {
                format!("control `{}` when", c.owner)
            }
            ConditionKind::When => format!("obligation `{}` when", c.owner),
        };
        match c.rule {
            None => {
                let _ = writeln!(out, "{}. {what}: none (always true)", i + 1);
            }
            Some(rule) => {
                let value = rule.value(e.values);
                let _ = writeln!(out, "{}. {what}: `{rule}` → {value}", i + 1);
                for term in rule.terms() {
                    let view = crate::provenance::term(&catalog.taxonomy, e.values, map, &term);
                    let chain = e.chain(&term);
                    let _ = writeln!(
                        out,
                        "   - `{}` = {} — {}",
                        view.key,
                        view.value,
                        provenance(&view, &chain, map)
                    );
                }
            }
        }
    }
    if verdict.outcome.value == Truth::Unknown {
        out.push_str("\n## What would decide it\n\n");
        for term in &verdict.outcome.open {
            let key = e.term_key(term);
            match term {
                Term::Fact(f) => {
                    let question = catalog.taxonomy.question(*f);
                    let mut answers = Vec::new();
                    for answer in [Truth::True, Truth::False] {
                        let mut learned = incident.clone();
                        learned.assume(&[Assumption::Fact(*f, answer)]);
                        let words = match FactValues::close(&catalog.taxonomy, &learned) {
                            Ok(v) => item.verdict(&v, e.scope).status.as_str().to_owned(),
                            Err(_) => "contradicts the incident".to_owned(),
                        };
                        answers.push(format!("if {answer}: {words}"));
                    }
                    let _ = writeln!(
                        out,
                        "- `{key}` ({question}) — {}; try `--assume {key}=true`",
                        answers.join("; ")
                    );
                }
                Term::Number(n) => {
                    let _ = writeln!(
                        out,
                        "- `{key}` ({}) — not given; the conditions above compare it with a constant; try `--assume {n}=N`",
                        catalog.taxonomy.number_title(n)
                    );
                }
            }
        }
    }
    if let Item::Obligation(_, _, o) = item {
        if let Some(due) = e.obligation(&o.id).and_then(|r| r.due.as_ref()) {
            out.push_str(&deadline_arithmetic(due));
        }
    }
    if !verdict.outcome.because.is_empty() && verdict.outcome.value != Truth::Unknown {
        let keys: Vec<String> = verdict
            .outcome
            .because
            .iter()
            .map(|t| format!("`{}`", e.term_key(t)))
            .collect();
        let _ = writeln!(out, "\nDecided by: {}.", keys.join(", "));
    }
    Ok(out)
}

/// How the due time was reached: each way of counting, its start and due time, and
/// why the one chosen won.
fn deadline_arithmetic(due: &Due<'_>) -> String {
    let mut out = String::from("\n## Deadline\n\n");
    let latest = due.alternatives.iter().filter_map(|a| a.start).max();
    for (i, alt) in due.alternatives.iter().enumerate() {
        let counted = counted_from(due, i);
        let line = match (alt.start, alt.due) {
            (None, _) if !alt.missing.is_empty() => {
                let dates: Vec<&str> = alt.missing.iter().map(|k| k.as_str()).collect();
                format!("{counted}: waits for {}, not given", dates.join(" and "))
            }
            (None, _) => format!("{counted}: its start has no fixed time"),
            (Some(start), None) => format!("{counted}: from {} UTC, no fixed time", short_time(start)),
            (Some(start), Some(at)) => {
                let why = if due.chosen == Some(i) {
                    if due.alternatives.iter().filter_map(|a| a.due).any(|d| d < at) {
                        "chosen: the earliest that does not fall before a known start of this obligation's clocks"
                    } else {
                        "chosen: the earliest"
                    }
                } else if latest.is_some_and(|l| at < l) {
                    "not chosen: it falls before a later known start of this obligation's clocks"
                } else {
                    "not chosen: later than the one chosen"
                };
                format!(
                    "{counted}: from {} UTC, due {} UTC — {why}",
                    short_time(start),
                    short_time(at)
                )
            }
        };
        let _ = writeln!(out, "- {line}");
    }
    let _ = writeln!(
        out,
        "\nDue: {}. Calendar days are counted on the UTC calendar; business days skip Saturdays and Sundays (public holidays are not known).",
        due.due
            .map_or_else(|| "not computable".to_owned(), |t| format!("{} UTC", short_time(t)))
    );
    out
}
