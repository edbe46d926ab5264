//! The Markdown report, for people (layout: summary, deadlines, checklist, open
//! questions, frameworks, facts). Every item says why; every date says from what;
//! text from incidents and catalogs is escaped so it cannot inject links or markup.

use std::collections::HashMap;
use std::fmt::Write as _;

use super::{
    CHAIN_WRITTEN_ONCE, Options, counted_from, done_words, hours_left, relief_words, short_time, uncomputed_words,
    utc_and_local,
};
use crate::applicability::InForceGate;
use crate::diag::SourceMap;
use crate::evaluate::ScopeMode;
use crate::evaluate::{Due, Exposure, FrameworkResult, ObligationResult, Status};
use crate::model::Obligation;
use crate::rule::{Outcome, Term};

/// Escapes text for Markdown: punctuation that could start markup is backslash-escaped
/// and line breaks become spaces, so the text stays one inline run. Nothing in it can
/// become a link, not even by the autolinks of GitHub's Markdown (a bare `http://`,
/// `www.` or e-mail address: their `:`, `.` and `@` are escaped), and nothing at its
/// start can make a block (a rule `---`, a list item `- ` or `1. `, a heading `===`).
/// Characters that [`crate::text::is_unsafe`] names become `?`.
#[must_use]
pub(crate) fn escape(text: &str) -> String {
    let text = text.trim_start();
    let mut out = String::with_capacity(text.len());
    let mut leading_digits = true;
    for (i, c) in text.char_indices() {
        let before = &text[..i];
        let escaped = match c {
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '@' => true,
            '-' | '+' | '=' => i == 0,
            ')' => leading_digits && i > 0,
            '.' => {
                (leading_digits && i > 0)
                    || before.len() >= 3 && before.as_bytes()[before.len() - 3..].eq_ignore_ascii_case(b"www")
            }
            ':' => text[i..].starts_with("://"),
            _ => false,
        };
        leading_digits = leading_digits && c.is_ascii_digit();
        match c {
            '\n' | '\r' | '\t' => out.push(' '),
            c if crate::text::is_unsafe(c) => out.push('?'),
            c => {
                if escaped {
                    out.push('\\');
                }
                out.push(c);
            }
        }
    }
    out
}

/// `` `id` `` for identifiers (restricted to safe characters when loaded).
fn code(id: &str) -> String {
    format!("`{}`", id.replace('`', "'"))
}

fn status_words(s: Status) -> &'static str {
    match s {
        Status::Applies => "applies",
        Status::MayApply => "may apply",
        Status::NotApplicable => "not applicable",
    }
}

/// Renders the report.
#[must_use]
pub fn render(e: &Exposure<'_>, map: &SourceMap, options: &Options) -> String {
    let mut out = String::new();
    header(&mut out, e, options);
    glance(&mut out, e, options);
    deadlines(&mut out, e, options);
    checklist(&mut out, e);
    questions(&mut out, e);
    decisions(&mut out, e);
    not_in_force(&mut out, e);
    frameworks(&mut out, e, map);
    facts(&mut out, e, map);
    out.push_str("\n## Diagram\n\nStated facts (blue) and derived facts (green) lead to the controls and frameworks they engage (red: applies, yellow: may apply); dashed: open questions.\n\n```mermaid\n");
    out.push_str(&super::diagram::Diagram::of_exposure(e).mermaid());
    out.push_str("```\n");
    out
}

fn header(out: &mut String, e: &Exposure<'_>, options: &Options) {
    let i = e.incident;
    let _ = writeln!(out, "# Exposure report: {}\n", escape(&i.title));
    let scope = match e.scope {
        ScopeMode::Org => "organisation",
        ScopeMode::All => "all (framework scopes ignored)",
    };
    let _ = writeln!(
        out,
        "{} · evaluated against {} frameworks (catalog: {}) · scope: {scope}",
        code(&i.id),
        e.frameworks.len(),
        escape(&e.catalog.origin)
    );
    if let Some(org) = &i.organization {
        let _ = writeln!(out, "\nOrganisation: {}", escape(org));
    }
    if let Some(summary) = &i.summary {
        let _ = writeln!(out, "\n> {}", escape(summary));
    }
    if let Some(zone) = &i.timezone {
        let _ = writeln!(out, "\nTimes are in UTC, with {zone} time beside them.");
    }
    if let Some(now) = options.now {
        let clock = if options.now_from_clock {
            " (this machine's clock when the report was made)"
        } else {
            ""
        };
        let _ = writeln!(out, "\nTime left is counted from {} UTC{clock}.", short_time(now));
    }
    if options.filtered() {
        let mut only: Vec<String> = options.kinds.iter().map(|k| k.as_str().to_owned()).collect();
        only.extend(options.frameworks.iter().map(|f| code(f)));
        let _ = writeln!(
            out,
            "\n**Filtered:** only {}; the frameworks left out are not assessed in this report.",
            only.join(", ")
        );
    }
    if !options.assumptions.is_empty() {
        let list: Vec<String> = options.assumptions.iter().map(|a| code(a)).collect();
        let _ = writeln!(
            out,
            "\n**Assumed for this report** (not in the incident file): {}",
            list.join(", ")
        );
    }
    out.push('\n');
}

/// Above this many not-applicable frameworks, "At a glance" names them by id only.
const GLANCE_TITLES: usize = 12;

fn names(e: &Exposure<'_>, status: Status) -> Vec<String> {
    e.frameworks
        .iter()
        .filter(|f| f.status == status)
        .map(|f| format!("{} ({})", escape(&f.framework.title), code(&f.framework.id)))
        .collect()
}

/// `may apply, ` for an item that may apply, before its time in "At a glance".
fn may(status: Status) -> &'static str {
    if status == Status::MayApply { "may apply, " } else { "" }
}

fn glance(out: &mut String, e: &Exposure<'_>, options: &Options) {
    out.push_str("## At a glance\n\n");
    if let Some(now) = options.now {
        let zone = e.incident.timezone.as_deref();
        let open = || e.timeline.iter().filter(|t| t.done.is_none());
        let overdue: Vec<String> = open()
            .filter_map(|t| t.due.filter(|d| *d < now).map(|d| (t, d)))
            .map(|(t, d)| {
                format!(
                    "{} ({}overdue by {}h, due {})",
                    code(&t.obligation),
                    may(t.status),
                    -hours_left(now, d),
                    utc_and_local(d, zone)
                )
            })
            .collect();
        let soon: Vec<String> = open()
            .filter_map(|t| t.due.filter(|d| *d >= now && hours_left(now, *d) < 24).map(|d| (t, d)))
            .map(|(t, d)| {
                format!(
                    "{} ({}in {}h, {})",
                    code(&t.obligation),
                    may(t.status),
                    hours_left(now, d),
                    utc_and_local(d, zone)
                )
            })
            .collect();
        let list = |v: &[String]| if v.is_empty() { "none".to_owned() } else { v.join("; ") };
        let _ = writeln!(out, "- **Overdue:** {}", list(&overdue));
        let _ = writeln!(out, "- **Due in the next 24 hours:** {}", list(&soon));
    }
    let none = || "none".to_owned();
    let list = |v: Vec<String>| if v.is_empty() { none() } else { v.join("; ") };
    let _ = writeln!(out, "- **Applies:** {}", list(names(e, Status::Applies)));
    let _ = writeln!(
        out,
        "- **May apply** (answer the open questions): {}",
        list(names(e, Status::MayApply))
    );
    let not_applicable = names(e, Status::NotApplicable);
    if not_applicable.len() > GLANCE_TITLES {
        let ids: Vec<String> = e
            .frameworks
            .iter()
            .filter(|f| f.status == Status::NotApplicable)
            .map(|f| code(&f.framework.id))
            .collect();
        let _ = writeln!(
            out,
            "- **Not applicable** ({}; each with its reason under Frameworks): {}",
            ids.len(),
            ids.join(", ")
        );
    } else {
        let _ = writeln!(out, "- **Not applicable:** {}", list(not_applicable));
    }
    let gaps = |kind: crate::coverage::GapKind| -> Vec<String> {
        e.coverage
            .iter()
            .filter(|g| g.kind == kind)
            .map(|g| {
                let whose = if g.place_kind() == "established" {
                    "an establishment in"
                } else {
                    "residents of"
                };
                format!("{whose} {} ({})", escape(&g.title), code(&g.place))
            })
            .collect()
    };
    let not_covered = gaps(crate::coverage::GapKind::NotCovered);
    if !not_covered.is_empty() {
        let _ = writeln!(
            out,
            "- **Not covered by this catalog:** {} — no framework here speaks to these places, so their laws are not assessed",
            not_covered.join("; ")
        );
    }
    let coarse = gaps(crate::coverage::GapKind::NameSubdivisions);
    if !coarse.is_empty() {
        let _ = writeln!(
            out,
            "- **Name the places inside:** {} — the catalog's laws for these places speak to the states or regions inside them; list those in `affected.residency` (with their counts) to assess them",
            coarse.join("; ")
        );
    }
    let done: Vec<String> = e
        .frameworks
        .iter()
        .flat_map(|f| f.controls.iter().flat_map(|c| c.obligations.iter()))
        .filter_map(|o| {
            done_words(o, e.incident.timezone.as_deref()).map(|w| format!("{} — {w}", code(&o.obligation.id)))
        })
        .collect();
    if !done.is_empty() {
        let _ = writeln!(out, "- **Done:** {}", done.join("; "));
    }
    let stray: Vec<String> = e.done_not_listed().iter().map(|d| code(&d.obligation)).collect();
    if !stray.is_empty() {
        let _ = writeln!(
            out,
            "- **Recorded as done, but not applicable here:** {} — check the id, or the facts that leave it out",
            stray.join(", ")
        );
    }
    let computed = || e.timeline.iter().filter(|t| t.due.is_some() && t.done.is_none());
    if !e.not_in_force.is_empty() {
        let ids: Vec<String> = e.not_in_force.iter().map(|n| code(&n.id)).collect();
        let _ = writeln!(
            out,
            "- **Not in force when the incident was discovered:** {} — see Not in force",
            ids.join(", ")
        );
    }
    let first_applying = computed().find(|t| t.status == Status::Applies);
    let first_possible = computed().find(|t| t.status == Status::MayApply);
    match first_applying {
        Some(t) => first_deadline(out, e, "First deadline", t),
        None if computed().next().is_none() => {
            out.push_str("- **First deadline:** none computable from the timeline given\n");
        }
        None => out.push_str("- **First deadline:** none among the items that apply\n"),
    }
    if let Some(t) = first_possible.filter(|p| first_applying.is_none_or(|a| p.due < a.due)) {
        first_deadline(out, e, "Earlier if a may-apply item applies", t);
    }
    let waiting: Vec<String> = e
        .timeline
        .iter()
        .filter(|t| t.due.is_none() && t.done.is_none() && !t.missing.is_empty())
        .map(|t| {
            let dates: Vec<&str> = t.missing.iter().map(|k| k.as_str()).collect();
            format!(
                "{} ({}, needs {})",
                code(&t.obligation),
                t.status.as_str(),
                dates.join(" and ")
            )
        })
        .collect();
    if !waiting.is_empty() {
        let _ = writeln!(
            out,
            "- **Clocks waiting for a date:** {} — give the date in `[timeline]` to compute them",
            waiting.join("; ")
        );
    }
    for t in e.timeline.iter().filter(|t| t.due.is_none()) {
        if let Some(u) = &t.uncounted {
            let _ = writeln!(
                out,
                "- **Clock not counted:** {} ({}) — {u}; count it by hand",
                code(&t.obligation),
                t.status.as_str()
            );
        }
    }
    out.push('\n');
}

fn first_deadline(out: &mut String, e: &Exposure<'_>, what: &str, t: &crate::evaluate::TimelineEntry) {
    let from = e
        .obligation(&t.obligation)
        .and_then(|o| o.due.as_ref().and_then(|d| d.chosen.map(|i| counted_from(d, i))))
        .unwrap_or_default();
    let _ = writeln!(
        out,
        "- **{what}:** {} — {} ({from})",
        code(&t.obligation),
        t.due
            .map(|d| utc_and_local(d, e.incident.timezone.as_deref()))
            .unwrap_or_default()
    );
}

fn label(o: &Obligation) -> String {
    match &o.title {
        Some(t) => format!("{} — {}", code(&o.id), escape(t)),
        None => code(&o.id),
    }
}

fn due_words(d: &Due) -> String {
    match d.due {
        Some(ts) => format!("{} UTC", short_time(ts)),
        None => uncomputed_words(d),
    }
}

fn counted_words(d: &Due) -> String {
    let parts: Vec<String> = (0..d.deadline.alternatives.len())
        .map(|i| {
            let text = counted_from(d, i);
            let missing: Vec<&str> = d.alternatives[i].missing.iter().map(|k| k.as_str()).collect();
            if missing.is_empty() {
                text
            } else {
                format!("{text} ({} not given)", missing.join(", "))
            }
        })
        .collect();
    if parts.len() > 1 {
        format!("earliest of: {}", parts.join("; "))
    } else {
        parts.join("")
    }
}

fn deadlines(out: &mut String, e: &Exposure<'_>, options: &Options) {
    out.push_str("## Deadlines\n\n");
    let rows: Vec<&ObligationResult<'_>> = {
        let mut rows: Vec<&ObligationResult<'_>> = e
            .frameworks
            .iter()
            .flat_map(|f| f.controls.iter().flat_map(|c| c.obligations.iter()))
            .filter(|o| o.due.is_some())
            .collect();
        rows.sort_by(|a, b| {
            let key = |o: &ObligationResult<'_>| {
                let due = o.due.as_ref().and_then(|d| d.due);
                (due.is_none(), due, o.obligation.id.clone())
            };
            key(a).cmp(&key(b))
        });
        rows
    };
    if rows.is_empty() {
        out.push_str("No obligation in this report has a deadline.\n\n");
        return;
    }
    let left = options.now.is_some();
    let due_header = match &e.incident.timezone {
        Some(zone) => format!("due (UTC; {zone} in brackets)"),
        None => "due (UTC)".to_owned(),
    };
    if left {
        let _ = writeln!(
            out,
            "| {due_header} | time left | obligation | status | to | counted from |\n|---|---|---|---|---|---|"
        );
    } else {
        let _ = writeln!(
            out,
            "| {due_header} | obligation | status | to | counted from |\n|---|---|---|---|---|"
        );
    }
    for o in rows {
        let Some(d) = &o.due else { continue };
        let zone = e.incident.timezone.as_deref();
        let mut due = d.due.map_or_else(
            || due_words(d),
            |t| match zone {
                Some(z) => format!("{} ({})", short_time(t), super::local_time(t, z)),
                None => short_time(t),
            },
        );
        if let Some(r) = o.relief.as_ref().filter(|_| o.done.is_none()) {
            due = format!("{due}; {}", relief_words(e, r));
        }
        let status = match done_words(o, zone) {
            Some(done) => format!("{} · {done}", status_words(o.status)),
            None => status_words(o.status).to_owned(),
        };
        let to = o.obligation.notify.as_deref().map_or_else(|| "—".to_owned(), escape);
        let time_left = match (options.now, d.due) {
            (Some(_), _) if o.done.is_some() => "done | ".to_owned(),
            (Some(now), Some(due)) => {
                let h = hours_left(now, due);
                if h < 0 {
                    format!("overdue by {}h | ", -h)
                } else {
                    format!("{h}h | ")
                }
            }
            (Some(_), None) => "— | ".to_owned(),
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "| {due} | {time_left}{} | {status} | {to} | {} |",
            label(o.obligation),
            counted_words(d)
        );
    }
    out.push('\n');
}

/// The judgements the incident records with who made them, in time order (undated
/// ones last, in file order).
fn decisions(out: &mut String, e: &Exposure<'_>) {
    let mut decided: Vec<(&crate::incident::Statement, &crate::incident::Decision)> = e
        .incident
        .statements
        .iter()
        .filter_map(|s| s.decision.as_ref().map(|d| (s, d)))
        .collect();
    if decided.is_empty() {
        return;
    }
    decided.sort_by_key(|(_, d)| (d.at.is_none(), d.at));
    out.push_str(
        "## Decisions

",
    );
    let zone = e.incident.timezone.as_deref();
    for (statement, d) in decided {
        let when = d.at.map_or_else(|| "undated".to_owned(), |t| utc_and_local(t, zone));
        let by =
            d.by.as_deref()
                .map_or_else(String::new, |b| format!(" — by {}", escape(b)));
        let why = d
            .why
            .as_deref()
            .map_or_else(String::new, |w| format!(": {}", escape(w)));
        let _ = writeln!(
            out,
            "- {when} — {} = {}{by}{why}",
            code(&e.catalog.taxonomy.fact(statement.fact).key),
            statement.value.as_str()
        );
    }
    out.push('\n');
}

fn checklist(out: &mut String, e: &Exposure<'_>) {
    out.push_str("## Checklist\n\n");
    if e.checklist.is_empty() {
        out.push_str("Nothing to do under this catalog.\n\n");
        return;
    }
    let zone = e.incident.timezone.as_deref();
    let mut group = None;
    for item in &e.checklist {
        if group != Some(item.statutory) {
            if group.is_some() {
                out.push('\n');
            }
            group = Some(item.statutory);
            out.push_str(if item.statutory {
                "### Statutory duties (laws and regulations)\n\n"
            } else {
                "### Good practice (standards and guidance)\n\n"
            });
        }
        let ids: Vec<String> = item.items.iter().map(|i| code(i)).collect();
        let due = item
            .due
            .map_or_else(String::new, |d| format!(" · due {}", utc_and_local(d, zone)));
        let (mark, done) = match item.done {
            Some(at) => ("x", format!(" · done {}", utc_and_local(at, zone))),
            None => (" ", String::new()),
        };
        let _ = writeln!(
            out,
            "- [{mark}] {} — {}{due} · {}{done}",
            escape(&item.action),
            ids.join(", "),
            status_words(item.status)
        );
        if !item.evidence.is_empty() {
            let ev: Vec<String> = item.evidence.iter().map(|s| escape(s)).collect();
            let _ = writeln!(out, "  - evidence: {}", ev.join("; "));
        }
    }
    out.push('\n');
}

fn questions(out: &mut String, e: &Exposure<'_>) {
    out.push_str("## Open questions\n\n");
    if e.questions.is_empty() && e.date_questions.is_empty() {
        out.push_str("None: every item in this report is decided by the facts given.\n\n");
        return;
    }
    out.push_str("| question | decides |\n|---|---|\n");
    for q in &e.questions {
        let decides: Vec<String> = q.decides.iter().map(|d| code(d)).collect();
        let _ = writeln!(
            out,
            "| {} ({}) | {} |",
            escape(&e.question_text(&q.term)),
            code(&e.term_key(&q.term)),
            decides.join(", ")
        );
    }
    for q in &e.date_questions {
        let ids = |v: &[String]| v.iter().map(|d| code(d)).collect::<Vec<String>>().join(", ");
        let mut parts = Vec::new();
        if !q.starts.is_empty() {
            parts.push(format!("starts the clock of {}", ids(&q.starts)));
        }
        if !q.in_force.is_empty() {
            parts.push(format!(
                "decides whether {} were in force (their dates are compared with it)",
                ids(&q.in_force)
            ));
        }
        let _ = writeln!(
            out,
            "| {} ({}) | {} |",
            q.key.question(),
            code(&format!("timeline.{}", q.key.as_str())),
            parts.join("; ")
        );
    }
    out.push('\n');
}

/// Frameworks and obligations left out only because of their dates.
fn not_in_force(out: &mut String, e: &Exposure<'_>) {
    if e.not_in_force.is_empty() {
        return;
    }
    out.push_str("## Not in force\n\nThey would apply to this incident, but they were not in force on the day it was discovered, so the report leaves them out:\n\n");
    for n in &e.not_in_force {
        let _ = writeln!(out, "- {}", gate_words(&n.gate));
    }
    out.push('\n');
}

/// A date gate in words, escaped.
fn gate_words(g: &InForceGate) -> String {
    escape(&g.words()).replace("\\`", "`")
}

/// The key of a date gate's question, when one on the way waits for the discovery date.
fn waits(gates: &[InForceGate]) -> Option<&'static str> {
    gates
        .iter()
        .any(|g| g.value == crate::truth::Truth::Unknown)
        .then_some("`timeline.discovered`")
}

/// Chains already written: term → number of facts in it.
type Written = HashMap<Term, usize>;

fn reason_words(e: &Exposure<'_>, t: &Term, map: &SourceMap, written: &mut Written) -> String {
    let v = e.term_view(t, map);
    let chain = match written.get(t) {
        _ if v.from.is_none() => v.root.clone(),
        Some(&n) if n > CHAIN_WRITTEN_ONCE => format!(
            "{} → … → {}, the chain of {n} facts above; {} {}",
            code(&v.root_key),
            code(&v.key),
            code(&v.root_key),
            v.root
        ),
        _ => {
            let chain = e.chain(t);
            written.insert(t.clone(), chain.len());
            let path: Vec<String> = chain.iter().map(|p| code(p)).collect();
            format!("{}; {} {}", path.join(" → "), code(&v.root_key), v.root)
        }
    };
    format!("{} is {} ({chain})", code(&v.key), v.value)
}

fn because(e: &Exposure<'_>, o: &Outcome, map: &SourceMap, written: &mut Written) -> Option<String> {
    if o.because.is_empty() {
        return None;
    }
    let parts: Vec<String> = o.because.iter().map(|t| reason_words(e, t, map, written)).collect();
    Some(parts.join("; "))
}

fn open(e: &Exposure<'_>, terms: &std::collections::BTreeSet<crate::rule::Term>) -> Option<String> {
    if terms.is_empty() {
        return None;
    }
    let parts: Vec<String> = terms.iter().map(|t| code(&e.term_key(t))).collect();
    Some(parts.join(", "))
}

fn frameworks(out: &mut String, e: &Exposure<'_>, map: &SourceMap) {
    let mut written = Written::new();
    out.push_str("## Frameworks\n\n");
    let mut ordered: Vec<&FrameworkResult<'_>> = e.frameworks.iter().collect();
    ordered.sort_by_key(|f| f.status);
    for f in ordered {
        let fw = f.framework;
        let _ = writeln!(
            out,
            "### {} ({}) — {}\n",
            escape(&fw.title),
            code(&fw.id),
            status_words(f.status)
        );
        if let Some(scope) = &fw.scope {
            let _ = writeln!(out, "Scope: {}\n", code(&scope.to_string()));
        }
        let date_gate = f.in_force.as_ref();
        let out_of_force = date_gate.is_some_and(|g| g.value == crate::truth::Truth::False)
            && f.scope().value != crate::truth::Truth::False;
        if let Some(g) = date_gate {
            let what = if out_of_force { "Not in force" } else { "Dates" };
            let _ = writeln!(out, "{what}: {}.\n", gate_words(g));
        }
        if !out_of_force {
            if let Some(b) = because(e, f.scope(), map, &mut written) {
                let _ = writeln!(out, "Because {b}.\n");
            }
        }
        let mut open_keys: Vec<String> = open(e, &f.scope().open).into_iter().collect();
        if f.status == Status::MayApply {
            open_keys.extend(
                date_gate
                    .and_then(|g| waits(std::slice::from_ref(g)))
                    .map(str::to_owned),
            );
        }
        if !open_keys.is_empty() {
            let _ = writeln!(out, "Open: {}.\n", open_keys.join(", "));
        }
        let _ = writeln!(out, "Source: <{}>\n", escape_url(&fw.source));
        for caveat in &fw.caveats {
            let _ = writeln!(out, "Caveat: {}\n", escape(caveat));
        }
        for c in &f.controls {
            let ctl = c.control;
            let _ = writeln!(
                out,
                "#### {} {} — {}\n",
                code(&ctl.id),
                escape(&ctl.title),
                status_words(c.status)
            );
            let _ = writeln!(out, "{}\n", escape(&ctl.summary));
            if let Some(b) = because(e, &c.when, map, &mut written) {
                let _ = writeln!(out, "Because {b}.\n");
            }
            let open_keys: Vec<String> = open(e, &c.questions)
                .into_iter()
                .chain(waits(&c.in_force).map(str::to_owned))
                .collect();
            if !open_keys.is_empty() {
                let _ = writeln!(out, "Open: {}.\n", open_keys.join(", "));
            }
            if !c.related.is_empty() {
                let rel: Vec<String> = c
                    .related
                    .iter()
                    .map(|r| format!("{} ({})", code(&r.to), r.relation.as_str()))
                    .collect();
                let _ = writeln!(out, "Related: {}.\n", rel.join(", "));
            }
            let _ = writeln!(out, "Source: <{}>\n", escape_url(&ctl.source));
            for o in &c.obligations {
                let ob = o.obligation;
                let mut line = format!(
                    "- {} ({}, {}): {}",
                    label(ob),
                    ob.kind.as_str(),
                    status_words(o.status),
                    escape(&ob.action)
                );
                if let Some(to) = &ob.notify {
                    let _ = write!(line, " · to: {}", escape(to));
                }
                if let Some(d) = &o.due {
                    let _ = write!(line, " · due {} ({})", due_words(d), counted_words(d));
                }
                if let Some(b) = because(e, &o.when, map, &mut written) {
                    let _ = write!(line, " · because {b}");
                }
                if let Some(g) = o.in_force.iter().find(|g| g.owner == ob.id) {
                    let _ = write!(line, " · {}", escape(&g.range()));
                }
                let open_keys: Vec<String> = open(e, &o.questions)
                    .into_iter()
                    .chain(waits(&o.in_force).map(str::to_owned))
                    .collect();
                if !open_keys.is_empty() {
                    let _ = write!(line, " · open: {}", open_keys.join(", "));
                }
                let _ = writeln!(out, "{line}");
                for caveat in &ob.caveats {
                    let _ = writeln!(out, "  - caveat: {}", escape(caveat));
                }
            }
            if !c.obligations.is_empty() {
                out.push('\n');
            }
        }
    }
}

/// URLs go inside `<...>`: drop what would end the autolink.
fn escape_url(url: &str) -> String {
    url.chars()
        .filter(|c| !matches!(c, '<' | '>' | ' ' | '\n' | '\r'))
        .collect()
}

fn facts(out: &mut String, e: &Exposure<'_>, map: &SourceMap) {
    out.push_str("## Facts used\n\n");
    out.push_str("| fact | value | source |\n|---|---|---|\n");
    for f in super::listed_facts(e, map) {
        let source = f.source_words(code);
        let _ = writeln!(
            out,
            "| {} {} | {} | {source} |",
            code(&f.key),
            escape(&f.title),
            f.value
        );
    }
}
