//! `explain`: why one framework, control or obligation does or does not apply to an
//! incident. It shows every condition on the way (framework scope, control `when`,
//! obligation `when`), each atom's value and where that value came from, and, for an
//! undecided item, what each open question's answer would make of it.

use std::fmt::Write as _;

use crate::applicability::{ConditionKind, Item};
use crate::deadline::Within;
use crate::diag::{Code, Diagnostic, SourceMap, did_you_mean};
use crate::evaluate::{Due, Exposure, ScopeMode, Status};
use crate::facts::FactValues;
use crate::incident::Assumption;
use crate::model::{Catalog, ControlStatus};
use crate::provenance::FactView;
use crate::report::{counted_from, relief_words, short_time, uncomputed_words};
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
    let heading = if verdict.excluded_by_date().is_some() && !is_framework {
        "does not apply (the report lists it under Not in force)"
    } else {
        status_words(verdict.status, is_framework)
    };
    let _ = writeln!(out, "# Why `{id}` {heading}\n");
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
    let verdict_words = match (verdict.outcome.value, verdict.in_force_value()) {
        (Truth::False, _) => "a condition below is false.",
        (_, Truth::False) => {
            "no condition below is false, but it was not in force on the day the incident was discovered (see In force)."
        }
        (Truth::True, Truth::True) => "every condition below is true.",
        (Truth::True, Truth::Unknown) => {
            "every condition below is true, but it has dates and the incident does not say when it was discovered (see In force)."
        }
        (Truth::Unknown, _) => "no condition below is false, and some depend on unknown facts.",
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
    if !verdict.in_force.is_empty() {
        out.push_str("\n## In force\n\n");
        for g in &verdict.in_force {
            let _ = writeln!(out, "- {}", g.words());
        }
    }
    if verdict.status == Status::MayApply {
        out.push_str("\n## What would decide it\n\n");
        if verdict.waits_for_discovery() {
            let _ = writeln!(
                out,
                "- `timeline.discovered` ({}) — decides whether it was in force; give it in `[timeline]`",
                crate::deadline::TimelineKey::Discovered.question()
            );
        }
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
        if let Some(result) = e.obligation(&o.id) {
            if let Some(due) = &result.due {
                out.push_str(&deadline_arithmetic(catalog, due));
            }
            if let Some(done) = crate::report::done_words(result, e.incident.timezone.as_deref()) {
                let _ = writeln!(out, "\nRecorded: {done}.");
            }
            if let Some(relief) = &result.relief {
                let _ = writeln!(out, "\nAlso: {}.", relief_words(e, relief));
            }
        }
    }
    let caveats: Vec<&String> = match item {
        Item::Obligation(f, _, o) => f.caveats.iter().chain(&o.caveats).collect(),
        _ => item.framework().caveats.iter().collect(),
    };
    if !caveats.is_empty() {
        out.push_str("\n## Caveats\n\n");
        for c in caveats {
            let _ = writeln!(out, "- {}", crate::report::markdown::escape(c));
        }
    }
    if let Some(g) = verdict.excluded_by_date() {
        let _ = writeln!(
            out,
            "\nDecided by: `timeline.discovered`, against the dates of `{}`.",
            g.owner
        );
    } else if !verdict.outcome.because.is_empty()
        && verdict.outcome.value != Truth::Unknown
        && verdict.in_force_value() != Truth::Unknown
    {
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
fn deadline_arithmetic(catalog: &Catalog, due: &Due<'_>) -> String {
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
        "\nDue: {}.",
        due.due
            .map_or_else(|| uncomputed_words(due), |t| format!("{} UTC", short_time(t)))
    );
    let mut how = Vec::new();
    for (alt, computed) in due.deadline.alternatives.iter().zip(&due.alternatives) {
        let calendar = alt.calendar.as_ref().and_then(|id| catalog.calendar(id));
        let zone = crate::deadline::counting_zone(alt.end_of_day.as_ref(), calendar);
        let counting = match alt.within {
            Within::Hours(_) | Within::WithoutUndueDelay => continue,
            Within::Days(_) => format!("calendar days are counted on the {zone} calendar"),
            Within::Months(_) => format!("months are counted on the {zone} calendar"),
            Within::BusinessDays(_) => match calendar {
                Some(c) => {
                    let skipped: Vec<String> = match (computed.start, computed.due) {
                        (Some(start), Some(at)) => {
                            let zone = c.zone();
                            let (from, to) = (start.to_zoned(zone.clone()).date(), at.to_zoned(zone).date());
                            c.holidays()
                                .filter(|(d, _)| *d > from && *d <= to)
                                .map(|(d, name)| format!("{d} ({name})"))
                                .collect()
                        }
                        _ => Vec::new(),
                    };
                    let skipped = if skipped.is_empty() {
                        String::new()
                    } else {
                        format!("; holidays skipped: {}", skipped.join(", "))
                    };
                    format!(
                        "business days are counted in {} and skip Saturdays, Sundays and the holidays of `{}` ({}, {}–{}){skipped}",
                        c.time_zone, c.id, c.title, c.years.0, c.years.1
                    )
                }
                None => format!("business days are counted on the {zone} calendar and skip Saturdays and Sundays only"),
            },
        };
        let ends = match &alt.end_of_day {
            Some(end) if end.cutoff => format!("; the due day ends at {} {} time", end.at.strftime("%H:%M"), end.zone),
            Some(end) => format!("; the due day ends at 23:59:59 {} time", end.zone),
            None => "; the due time keeps the start's time of day".to_owned(),
        };
        how.push(format!("- {} + {}: {counting}{ends}.", alt.from, alt.within));
    }
    if !how.is_empty() {
        let _ = writeln!(out, "\nHow it is counted:\n\n{}", how.join("\n"));
    }
    out
}
