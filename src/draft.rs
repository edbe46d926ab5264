//! `draft`: pre-filled notification drafts. For each `notify` obligation that applies
//! or may apply (or the ones named), a draft headed by recipient, legal basis, status
//! and due time, then every required part of the notice in the mandated order, filled
//! from what the incident file states, or marked "to complete" with the incident key
//! that would fill it. A draft only repeats what the incident states: derived or
//! default facts and `--assume` answers never appear as content.

use std::fmt::Write as _;

use serde_json::{Value, json};

use crate::deadline::TimelineKey;
use crate::evaluate::{Exposure, ObligationResult, Status};
use crate::incident::Incident;
use crate::model::{Content, Control};
use crate::report::markdown::escape;
use crate::report::{counted_from, rfc3339, short_time};
use crate::taxonomy::Taxonomy;
use crate::truth::Truth;

/// One part of a notice, filled or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Part {
    /// The catalog's description of the part.
    pub content: Content,
    /// What the incident says for each key that it fills, as `(key, text)`.
    pub filled: Vec<(String, String)>,
    /// Keys the incident does not fill.
    pub missing: Vec<String>,
}

/// A draft notification.
#[derive(Debug)]
pub struct Draft<'e> {
    /// The obligation.
    pub result: &'e ObligationResult<'e>,
    /// Its control (the legal basis).
    pub control: &'e Control,
    /// The parts, in order.
    pub parts: Vec<Part>,
}

/// The drafts for an exposure: every notify obligation in it, or those in `ids`.
#[must_use]
pub fn drafts<'e>(e: &'e Exposure<'e>, ids: &[String]) -> Vec<Draft<'e>> {
    let mut out = Vec::new();
    for f in &e.frameworks {
        for c in &f.controls {
            for o in &c.obligations {
                let ob = o.obligation;
                let wanted = if ids.is_empty() {
                    ob.kind == crate::model::ObligationKind::Notify
                } else {
                    ids.iter().any(|id| ob.id == *id)
                };
                if !wanted {
                    continue;
                }
                let parts = ob
                    .content
                    .iter()
                    .map(|content| fill(e.incident, &e.catalog.taxonomy, content))
                    .collect();
                out.push(Draft {
                    result: o,
                    control: c.control,
                    parts,
                });
            }
        }
    }
    out
}

/// What the incident states for one key, in plain words; `None` when it says nothing.
fn value(incident: &Incident, taxonomy: &Taxonomy, key: &str) -> Option<String> {
    let facts_of = |field: &str, truth: Truth| -> Option<String> {
        let titles: Vec<&str> = incident
            .statements
            .iter()
            .filter(|s| s.source.field() == field && s.value == truth)
            .map(|s| taxonomy.fact(s.fact).title.as_str())
            .collect();
        (!titles.is_empty()).then(|| titles.join("; "))
    };
    let text = |t: &Option<String>| t.as_ref().filter(|s| !s.trim().is_empty()).cloned();
    let time = |k: TimelineKey| incident.timeline.get(&k).map(|t| format!("{} UTC", short_time(*t)));
    match key {
        "id" => Some(incident.id.clone()),
        "title" => Some(incident.title.clone()),
        "summary" => text(&incident.summary),
        "organization.name" => text(&incident.organization),
        "organization.sectors" => facts_of("organization.sectors", Truth::True),
        "organization.established" => facts_of("organization.established", Truth::True),
        "organization.status" => facts_of("organization.status", Truth::True),
        "affected.residency" => facts_of("affected.residency", Truth::True),
        "affected.count" => stated_numbers(incident)
            .find(|(name, _)| *name == "count")
            .map(|(_, n)| format!("{} people", thousands(n))),
        "affected.counts" => {
            let parts: Vec<String> = stated_numbers(incident)
                .filter_map(|(name, n)| {
                    let place = name.strip_prefix("count:")?;
                    let title = taxonomy
                        .lookup(&format!("residency:{place}"))
                        .map_or(place, |f| taxonomy.fact(f).title.as_str());
                    Some(format!("{title}: {}", thousands(n)))
                })
                .collect();
            (!parts.is_empty()).then(|| parts.join("; "))
        }
        "data.exposed" => facts_of("data.exposed", Truth::True),
        "data.not_exposed" => facts_of("data.not_exposed", Truth::False),
        "attack.vectors" => facts_of("attack.vectors", Truth::True),
        "attack.techniques" => facts_of("attack.techniques", Truth::True),
        "attack.actors" => facts_of("attack.actors", Truth::True),
        "attack.impacts" => facts_of("attack.impacts", Truth::True),
        "contact.name" => text(&incident.contact.name),
        "contact.email" => text(&incident.contact.email),
        "contact.phone" => text(&incident.contact.phone),
        "contact.dpo" => text(&incident.contact.dpo),
        "response.description" => text(&incident.response.description),
        "response.measures_taken" => text(&incident.response.measures_taken),
        "response.measures_planned" => text(&incident.response.measures_planned),
        "response.likely_consequences" => text(&incident.response.likely_consequences),
        "response.advice" => text(&incident.response.advice),
        other => other
            .strip_prefix("timeline.")
            .and_then(TimelineKey::parse)
            .and_then(time),
    }
}

/// The numbers the incident file gives (not those of `--assume`).
fn stated_numbers(incident: &Incident) -> impl Iterator<Item = (&str, u64)> {
    incident
        .numbers
        .iter()
        .filter(|(_, n)| n.source.loc().is_some())
        .filter_map(|(name, n)| Some((name.as_str(), n.value?)))
}

/// `1234567` → `1,234,567`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn fill(incident: &Incident, taxonomy: &Taxonomy, content: &Content) -> Part {
    let mut filled = Vec::new();
    let mut missing = Vec::new();
    for key in &content.from {
        match value(incident, taxonomy, key) {
            Some(v) => filled.push((key.clone(), v)),
            None => missing.push(key.clone()),
        }
    }
    Part {
        content: content.clone(),
        filled,
        missing,
    }
}

/// Words for a key, as a label before its value.
fn key_label(key: &str) -> String {
    let last = key.rsplit('.').next().unwrap_or(key);
    let mut label = last.replace('_', " ");
    if let Some(first) = label.get(..1) {
        label = first.to_uppercase() + &label[1..];
    }
    match key {
        "data.exposed" => "Data involved".to_owned(),
        "data.not_exposed" => "Data not involved".to_owned(),
        "affected.count" => "People affected".to_owned(),
        "affected.counts" => "People affected by jurisdiction".to_owned(),
        "affected.residency" => "Where affected people live".to_owned(),
        "organization.name" => "Organisation".to_owned(),
        "contact.dpo" => "Data protection officer".to_owned(),
        _ => label,
    }
}

fn status_line(e: &Exposure<'_>, d: &Draft<'_>) -> String {
    match d.result.status {
        Status::Applies => "applies".to_owned(),
        Status::MayApply => {
            let open: Vec<String> = d.result.question_keys(e).iter().map(|k| format!("`{k}`")).collect();
            format!("may apply — answer first: {}", open.join(", "))
        }
        Status::NotApplicable => "not applicable".to_owned(),
    }
}

fn due_line(d: &Draft<'_>) -> String {
    match &d.result.due {
        None => "no deadline in the catalog".to_owned(),
        Some(due) => {
            if let (Some(t), Some(i)) = (due.due, due.chosen) {
                return format!("{} UTC ({})", short_time(t), counted_from(due, i));
            }
            let missing: Vec<&str> = due.missing().iter().map(|k| k.as_str()).collect();
            let text = counted_from(due, 0);
            if !missing.is_empty() {
                format!("{text}; not computable until the incident gives {}", missing.join(", "))
            } else if let Some(outside) = due.outside() {
                format!("{text}; not computable: {outside}")
            } else {
                text
            }
        }
    }
}

/// One draft as Markdown.
#[must_use]
pub fn markdown(e: &Exposure<'_>, d: &Draft<'_>) -> String {
    let ob = d.result.obligation;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "# Draft: {} (`{}`)\n",
        escape(ob.title.as_deref().unwrap_or(&ob.action)),
        ob.id
    );
    let _ = writeln!(
        out,
        "- **To:** {}",
        ob.notify.as_deref().map_or_else(|| "—".to_owned(), escape)
    );
    let _ = writeln!(
        out,
        "- **Legal basis:** `{}` {} — <{}>",
        d.control.id,
        escape(&d.control.title),
        ob.source.replace(['<', '>', ' '], "")
    );
    let _ = writeln!(out, "- **Status:** {}", status_line(e, d));
    let _ = writeln!(out, "- **Due:** {}", due_line(d));
    let _ = writeln!(out, "- **Incident:** `{}` {}", e.incident.id, escape(&e.incident.title));
    out.push_str("\nA draft to check and complete: it repeats only what the incident file states.\n\n---\n\n");
    if let Some(title) = &ob.notice_title {
        let _ = writeln!(out, "## {}\n", escape(title));
    }
    if d.parts.is_empty() {
        out.push_str("The catalog lists no required content for this notification.\n");
        let _ = writeln!(out, "\nWhat to do: {}", escape(&ob.action));
        return out;
    }
    let mut current_heading: Option<&str> = None;
    for part in &d.parts {
        let c = &part.content;
        if c.heading.as_deref() != current_heading {
            if let Some(h) = &c.heading {
                let level = if ob.notice_title.is_some() { "###" } else { "##" };
                let _ = writeln!(out, "{level} {}\n", escape(h));
            }
            current_heading = c.heading.as_deref();
        }
        let mut tags = Vec::new();
        if !c.required {
            tags.push("if applicable");
        }
        if c.phased {
            tags.push("may follow later");
        }
        let tags = if tags.is_empty() {
            String::new()
        } else {
            format!(" ({})", tags.join(", "))
        };
        let _ = writeln!(
            out,
            "**{}**{tags} — {}\n",
            escape(&c.field.replace('_', " ")),
            escape(&c.help)
        );
        for (key, text) in &part.filled {
            let _ = writeln!(out, "- {}: {}", key_label(key), escape(text));
        }
        if c.from.is_empty() {
            out.push_str("- To complete: no incident field covers this; write it here.\n");
        } else if !part.missing.is_empty() {
            let keys: Vec<String> = part.missing.iter().map(|k| format!("`{k}`")).collect();
            let _ = writeln!(out, "- To complete: add {} to the incident.", keys.join(", "));
        }
        out.push('\n');
    }
    out
}

/// All drafts as JSON.
#[must_use]
pub(crate) fn json(e: &Exposure<'_>, drafts: &[Draft<'_>]) -> String {
    let value = json!({
        "schema_version": 1,
        "incident": { "id": e.incident.id, "title": e.incident.title },
        "drafts": drafts.iter().map(|d| {
            let ob = d.result.obligation;
            json!({
                "obligation": ob.id,
                "recipient": ob.notify,
                "basis": { "control": d.control.id, "title": d.control.title, "url": ob.source },
                "status": d.result.status.as_str(),
                "questions": d.result.question_keys(e),
                "due": d.result.due.as_ref().and_then(|x| x.due).map(rfc3339),
                "due_text": due_line(d),
                "notice_title": ob.notice_title,
                "fields": d.parts.iter().map(|p| json!({
                    "field": p.content.field,
                    "heading": p.content.heading,
                    "help": p.content.help,
                    "required": p.content.required,
                    "phased": p.content.phased,
                    "values": p.filled.iter().map(|(k, v)| json!({"key": k, "text": v})).collect::<Vec<Value>>(),
                    "to_complete": if p.content.from.is_empty() { vec!["(write by hand)".to_owned()] } else { p.missing.clone() },
                })).collect::<Vec<_>>(),
            })
        }).collect::<Vec<_>>(),
    });
    let mut out = serde_json::to_string_pretty(&value).unwrap_or_default();
    out.push('\n');
    out
}

/// A file name for a draft: the obligation id with `:` turned into `_`, and nothing
/// that could leave the output folder.
#[must_use]
pub(crate) fn file_name(id: &str, extension: &str) -> String {
    let safe: String = id
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    format!("{}.{extension}", safe.trim_start_matches('.'))
}

#[cfg(test)]
mod tests {
    use super::{file_name, thousands};

    #[test]
    fn numbers_and_names() {
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(thousands(999), "999");
        assert_eq!(file_name("gdpr:art33.1", "md"), "gdpr_art33.1.md");
        assert_eq!(file_name("../../etc:passwd", "md"), "_.._etc_passwd.md");
    }
}
