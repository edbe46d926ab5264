//! The JSON report (DESIGN §7). Key names are a contract: add keys, never rename.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::{FactView, Options, SourceKind, hours_left, rfc3339};
use crate::diag::SourceMap;
use crate::evaluate::{ControlResult, Due, Exposure, FrameworkResult, ObligationResult};
use crate::rule::{Outcome, Term};

/// Renders the report as pretty-printed JSON with a final newline.
#[must_use]
pub fn render(exposure: &Exposure<'_>, map: &SourceMap, options: &Options) -> String {
    let mut out = serde_json::to_string_pretty(&value(exposure, map, options)).unwrap_or_default();
    out.push('\n');
    out
}

/// The report as a JSON value.
#[must_use]
pub fn value(e: &Exposure<'_>, map: &SourceMap, options: &Options) -> Value {
    let incident = e.incident;
    json!({
        "schema_version": 1,
        "incident": {
            "id": incident.id,
            "title": incident.title,
            "organization": incident.organization,
        },
        "catalog": e.catalog.origin,
        "scope": e.scope.as_str(),
        "now": options.now.map(rfc3339),
        "assumptions": options.assumptions,
        "facts": super::listed_facts(e, map).iter().map(fact_json).collect::<Vec<_>>(),
        "frameworks": e.frameworks.iter().map(|f| framework(e, f, map)).collect::<Vec<_>>(),
        "checklist": e.checklist.iter().map(|c| json!({
            "items": c.items,
            "action": c.action,
            "due": c.due.map(rfc3339),
            "status": c.status.as_str(),
            "kinds": c.kinds.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
            "evidence": c.evidence,
        })).collect::<Vec<_>>(),
        "timeline": e.timeline.iter().map(|t| {
            let mut v = json!({
                "due": rfc3339(t.due),
                "obligation": t.obligation,
                "status": t.status.as_str(),
            });
            if let Some(now) = options.now {
                v["hours_left"] = json!(hours_left(now, t.due));
            }
            v
        }).collect::<Vec<_>>(),
        "questions": e.questions.iter().map(|q| json!({
            "fact": e.term_key(&q.term),
            "question": e.question_text(&q.term),
            "decides": q.decides,
        })).collect::<Vec<_>>(),
    })
}

fn fact_json(v: &FactView) -> Value {
    json!({
        "fact": v.key,
        "title": v.title,
        "value": v.value,
        "source": v.source.as_str(),
        "from": v.from,
        "field": v.field.as_ref().map(|(f, _)| f),
        "line": v.field.as_ref().and_then(|(_, l)| *l),
    })
}

fn reasons(e: &Exposure<'_>, o: &Outcome, map: &SourceMap) -> Vec<Value> {
    o.because
        .iter()
        .map(|t| {
            let v = e.term_view(t, map);
            json!({
                "fact": v.key,
                "value": v.value,
                "path": v.path,
                "source": if v.source == SourceKind::Derived { "derived" } else { v.source.as_str() },
            })
        })
        .collect()
}

fn keys(e: &Exposure<'_>, terms: &BTreeSet<Term>) -> Vec<String> {
    terms.iter().map(|t| e.term_key(t)).collect()
}

fn framework(e: &Exposure<'_>, f: &FrameworkResult<'_>, map: &SourceMap) -> Value {
    let fw = f.framework;
    json!({
        "id": fw.id,
        "title": fw.title,
        "kind": fw.kind.as_str(),
        "url": fw.source,
        "scope": fw.scope.as_ref().map(ToString::to_string),
        "status": f.status.as_str(),
        "reasons": reasons(e, &f.scope, map),
        "questions": keys(e, &f.scope.open),
        "controls": f.controls.iter().map(|c| control(e, c, map)).collect::<Vec<_>>(),
    })
}

fn control(e: &Exposure<'_>, c: &ControlResult<'_>, map: &SourceMap) -> Value {
    let ctl = c.control;
    json!({
        "id": ctl.id,
        "title": ctl.title,
        "status": c.status.as_str(),
        "summary": ctl.summary,
        "url": ctl.source,
        "when": ctl.when.as_ref().map(ToString::to_string),
        "reasons": reasons(e, &c.when, map),
        "questions": keys(e, &c.questions),
        "related": c.related.iter().map(|r| json!({
            "to": r.to,
            "relation": r.relation.as_str(),
            "rationale": r.rationale,
            "confidence": r.confidence.map(crate::model::Confidence::as_str),
        })).collect::<Vec<_>>(),
        "obligations": c.obligations.iter().map(|o| obligation(e, o, map)).collect::<Vec<_>>(),
    })
}

fn obligation(e: &Exposure<'_>, o: &ObligationResult<'_>, map: &SourceMap) -> Value {
    let ob = o.obligation;
    json!({
        "id": ob.id,
        "title": ob.title,
        "kind": ob.kind.as_str(),
        "status": o.status.as_str(),
        "action": ob.action,
        "when": ob.when.as_ref().map(ToString::to_string),
        "reasons": reasons(e, &o.when, map),
        "questions": keys(e, &o.questions),
        "deadline": o.due.as_ref().map(deadline),
        "notify": ob.notify,
        "evidence": ob.evidence,
        "same_as": ob.same_as,
        "url": ob.source,
    })
}

fn deadline(d: &Due) -> Value {
    let alt = |i: usize| {
        let a = &d.deadline.alternatives[i];
        let computed = &d.alternatives[i];
        json!({
            "within": a.within.to_string(),
            "from": a.from.to_string(),
            "due": computed.due.map(rfc3339),
            "missing": computed.missing.iter().map(|k| k.as_str()).collect::<Vec<_>>(),
        })
    };
    let main = d.chosen.unwrap_or(0);
    let mut v = alt(main);
    v["due"] = json!(d.due.map(rfc3339));
    v["missing"] = json!(d.missing().iter().map(|k| k.as_str()).collect::<Vec<_>>());
    if d.deadline.alternatives.len() > 1 {
        v["alternatives"] = json!((0..d.deadline.alternatives.len()).map(alt).collect::<Vec<_>>());
    }
    v
}
