//! `explain`: why one framework, control or obligation does or does not apply to an
//! incident. It shows every condition on the way (framework scope, control `when`,
//! obligation `when`), each atom's value and where that value came from, and, for an
//! undecided item, what each open question's answer would make of it.

use std::fmt::Write as _;

use crate::diag::{Code, Diagnostic, SourceMap, did_you_mean};
use crate::evaluate::{ScopeMode, Status};
use crate::facts::{FactValues, Origin};
use crate::incident::{Assumption, Incident};
use crate::model::{Catalog, Control, Framework, Obligation};
use crate::rule::{Env, Outcome, Rule, Term};
use crate::truth::Truth;

/// The item being explained, with its parents.
struct Target<'c> {
    framework: &'c Framework,
    control: Option<&'c Control>,
    obligation: Option<&'c Obligation>,
}

fn find<'c>(catalog: &'c Catalog, id: &str) -> Result<Target<'c>, Diagnostic> {
    for f in &catalog.frameworks {
        if f.id == id {
            return Ok(Target {
                framework: f,
                control: None,
                obligation: None,
            });
        }
        for c in &f.controls {
            if c.id == id {
                return Ok(Target {
                    framework: f,
                    control: Some(c),
                    obligation: None,
                });
            }
            if let Some(o) = c.obligations.iter().find(|o| o.id == id) {
                return Ok(Target {
                    framework: f,
                    control: Some(c),
                    obligation: Some(o),
                });
            }
        }
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

/// One condition on the way to the item.
struct Condition<'c> {
    what: String,
    rule: Option<&'c Rule>,
}

fn conditions<'c>(target: &Target<'c>, scope: ScopeMode) -> Vec<Condition<'c>> {
    let mut out = Vec::new();
    if scope == ScopeMode::Org || target.control.is_none() {
        out.push(Condition {
            what: format!("framework `{}` scope", target.framework.id),
            rule: target.framework.scope.as_ref(),
        });
    }
    if let Some(c) = target.control {
        out.push(Condition {
            what: format!("control `{}` when", c.id),
            rule: c.when.as_ref(),
        });
    }
    if let Some(o) = target.obligation {
        out.push(Condition {
            what: format!("obligation `{}` when", o.id),
            rule: o.when.as_ref(),
        });
    }
    out
}

fn combined(conds: &[Condition<'_>], values: &FactValues) -> Outcome {
    conds.iter().fold(Outcome::always(), |acc, c| {
        acc.and(c.rule.map_or_else(Outcome::always, |r| r.eval(values)))
    })
}

fn status_words(value: Truth, framework: bool) -> &'static str {
    match (value, framework) {
        (Truth::True, _) => "applies",
        (Truth::Unknown, _) => "may apply",
        (Truth::False, true) => "is not applicable",
        (Truth::False, false) => "does not apply (it is left out of the report)",
    }
}

/// Where a fact's value came from, in words.
fn provenance(catalog: &Catalog, values: &FactValues, map: &SourceMap, term: &Term) -> String {
    let tax = &catalog.taxonomy;
    match term {
        Term::Number(name) => match values.number(name) {
            Some(n) => format!("{n}, stated in the incident (affected)"),
            None => "not given, so unknown".to_owned(),
        },
        Term::Fact(f) => {
            let path = values.path(*f);
            let root = path[0];
            let root_words = if let Origin::Stated(i) = values.state(root).origin {
                let s = values.statement(i);
                match s.source.loc() {
                    Some(loc) => format!("stated at {} ({})", map.position(loc), s.source.field()),
                    None => "assumed with --assume".to_owned(),
                }
            } else {
                match (values.fact(root), tax.fact(root).world) {
                    (Truth::False, _) => "not stated; its kind is closed-world, so false".to_owned(),
                    (_, crate::taxonomy::World::Open) => "not stated; its kind is open-world, so unknown".to_owned(),
                    _ => "not stated, so unknown".to_owned(),
                }
            };
            if path.len() == 1 {
                root_words
            } else {
                let chain: Vec<&str> = path.iter().map(|p| tax.fact(*p).key.as_str()).collect();
                let how = if values.fact(*f) == Truth::False {
                    "falsity carried back"
                } else {
                    "carried forward"
                };
                format!(
                    "via implies ({how}): {}; `{}` {root_words}",
                    chain.join(" → "),
                    tax.fact(root).key
                )
            }
        }
    }
}

fn term_key(catalog: &Catalog, term: &Term) -> String {
    match term {
        Term::Fact(f) => catalog.taxonomy.fact(*f).key.clone(),
        Term::Number(n) => n.clone(),
    }
}

/// Explains one item for an incident.
pub fn explain(
    catalog: &Catalog,
    map: &SourceMap,
    incident: &Incident,
    values: &FactValues,
    id: &str,
    scope: ScopeMode,
) -> Result<String, Diagnostic> {
    let target = find(catalog, id)?;
    let conds = conditions(&target, scope);
    let total = combined(&conds, values);
    let is_framework = target.control.is_none();
    let mut out = String::new();
    let _ = writeln!(out, "# Why `{id}` {}\n", status_words(total.value, is_framework));
    let _ = writeln!(
        out,
        "Incident {} ({}) · scope: {}\n",
        crate::report::markdown::escape(&incident.id),
        crate::report::markdown::escape(map.name(incident.file)),
        if scope == ScopeMode::Org {
            "organisation"
        } else {
            "all (framework scopes ignored)"
        }
    );
    let verdict = match total.value {
        Truth::True => "every condition below is true.",
        Truth::Unknown => "no condition below is false, and some depend on unknown facts.",
        Truth::False => "a condition below is false.",
    };
    let _ = writeln!(out, "Result: {} — {verdict}\n", Status::of_truth(total.value).as_str());
    out.push_str("## Conditions\n\n");
    for (i, c) in conds.iter().enumerate() {
        match c.rule {
            None => {
                let _ = writeln!(out, "{}. {}: none (always true)", i + 1, c.what);
            }
            Some(rule) => {
                let value = rule.eval(values).value;
                let _ = writeln!(out, "{}. {}: `{rule}` → {value}", i + 1, c.what);
                for term in rule.terms() {
                    let v = match &term {
                        Term::Fact(f) => values.fact(*f).as_str().to_owned(),
                        Term::Number(n) => values.number(n).map_or_else(|| "unknown".to_owned(), |n| n.to_string()),
                    };
                    let _ = writeln!(
                        out,
                        "   - `{}` = {v} — {}",
                        term_key(catalog, &term),
                        provenance(catalog, values, map, &term)
                    );
                }
            }
        }
    }
    if total.value == Truth::Unknown {
        out.push_str("\n## What would decide it\n\n");
        for term in &total.open {
            let key = term_key(catalog, term);
            match term {
                Term::Fact(f) => {
                    let question = catalog.taxonomy.question(*f);
                    let mut answers = Vec::new();
                    for answer in [Truth::True, Truth::False] {
                        let mut learned = incident.clone();
                        learned.assume(&[Assumption::Fact(*f, answer)]);
                        let words = match FactValues::close(&catalog.taxonomy, &learned) {
                            Ok(v) => Status::of_truth(combined(&conds, &v).value).as_str().to_owned(),
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
    if !total.because.is_empty() && total.value != Truth::Unknown {
        let keys: Vec<String> = total
            .because
            .iter()
            .map(|t| format!("`{}`", term_key(catalog, t)))
            .collect();
        let _ = writeln!(out, "\nDecided by: {}.", keys.join(", "));
    }
    Ok(out)
}
