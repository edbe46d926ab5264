//! Validating frameworks: ids, URLs, rules, deadlines, notification content, and the
//! references between items (`related`, `same_as`, chained deadlines) with their cycles.

use std::collections::{BTreeMap, HashMap, HashSet};

use rayon::prelude::*;

use super::cycles::CycleReport;
use super::{MAX_ID_CHARS, PARALLEL_CONTROLS, loc_of, parse_rule, valid_framework_id, valid_value};
use crate::calendar::Calendar;
use crate::deadline::{Alternative, Deadline, EndOfDay, PeriodEnd, Start, TimelineKey, Within};
use crate::diag::{Code, Diagnostic, FileId, Loc, SourceMap, did_you_mean};
use crate::model::{Content, Control, Day, Framework, InForce, ItemId, Obligation, Related, Relief};
use crate::spec::{self, AlternativeSpec, CatalogFileSpec, ControlSpec, DeadlineSpec, MaybeString, Spanned};
use crate::taxonomy::Taxonomy;

struct Pending {
    file: FileId,
    spec: Spanned<spec::FrameworkSpec>,
    controls: Vec<ControlSpec>,
}

pub(super) fn build_frameworks(
    files: Vec<(usize, FileId, CatalogFileSpec)>,
    taxonomy: &Taxonomy,
    calendars: &[Calendar],
    map: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Framework> {
    // Later layers replace earlier ones; a duplicate within a layer is an error.
    let mut chosen: BTreeMap<String, (usize, Pending)> = BTreeMap::new();
    for (layer, file, spec) in files {
        let Some(framework) = spec.framework else {
            if let Some(first) = spec.control.as_ref().and_then(|c| c.first()) {
                diags.push(
                    Diagnostic::error(Code::NotAFramework, "controls without a `[framework]` table")
                        .at(loc_of(file, &first.id), "this control belongs to no framework"),
                );
            }
            continue;
        };
        let id = framework.get_ref().id.get_ref().clone();
        if let Some((prev_layer, prev)) = chosen.get(&id) {
            if *prev_layer == layer {
                diags.push(
                    Diagnostic::error(Code::DuplicateId, format!("framework `{id}` is defined twice"))
                        .at(loc_of(file, &framework.get_ref().id), "defined again here")
                        .also(loc_of(prev.file, &prev.spec.get_ref().id), "first defined here"),
                );
                continue;
            }
        }
        chosen.insert(
            id,
            (
                layer,
                Pending {
                    file,
                    spec: framework,
                    controls: spec.control.unwrap_or_default(),
                },
            ),
        );
    }
    // Frameworks are validated independently, so a large catalog uses every core; the
    // diagnostics are gathered in framework order either way.
    let pending: Vec<Pending> = chosen.into_values().map(|(_, p)| p).collect();
    let validate = |p: Pending| {
        let mut found = Vec::new();
        let framework = validate_framework(p, taxonomy, calendars, map, &mut found);
        (framework, found)
    };
    let validated: Vec<(Framework, Vec<Diagnostic>)> =
        if pending.iter().map(|p| p.controls.len()).sum::<usize>() < PARALLEL_CONTROLS {
            pending.into_iter().map(validate).collect()
        } else {
            pending.into_par_iter().map(validate).collect()
        };
    let mut frameworks = Vec::with_capacity(validated.len());
    for (framework, found) in validated {
        frameworks.push(framework);
        diags.extend(found);
    }
    check_references(&frameworks, diags);
    super::lints::check_lints(&frameworks, diags);
    frameworks
}

pub(super) fn check_url(file: FileId, s: &Spanned<String>, diags: &mut Vec<Diagnostic>) {
    let url = s.get_ref();
    if !(url.starts_with("https://") || url.starts_with("http://")) || url.contains(char::is_whitespace) {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!("`source` must be an http(s) URL, not `{url}`"),
            )
            .at(loc_of(file, s), ""),
        );
    }
}

fn validate_framework(
    p: Pending,
    taxonomy: &Taxonomy,
    calendars: &[Calendar],
    map: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Framework {
    let file = p.file;
    let fw_loc = Loc::new(file, p.spec.span());
    let spec = p.spec.into_inner();
    let fw_id = spec.id.get_ref().clone();
    if !valid_framework_id(&fw_id) {
        diags.push(
            Diagnostic::error(Code::InvalidId, format!("`{fw_id}` is not a valid framework id")).at(
                loc_of(file, &spec.id),
                "lowercase letters, digits, `-`, `_` and `.` only",
            ),
        );
    }
    check_url(file, &spec.source, diags);
    let scope = spec
        .scope
        .as_ref()
        .and_then(|s| parse_rule(s, file, taxonomy, map, diags));
    let fw_in_force = in_force(spec.effective.as_ref(), spec.until.as_ref(), file, diags);
    // Controls and obligations share one namespace per framework.
    let mut seen: HashMap<String, Loc> = HashMap::new();
    let mut claim = |id: &Spanned<String>, diags: &mut Vec<Diagnostic>| -> bool {
        let loc = loc_of(file, id);
        if !valid_value(id.get_ref()) {
            diags.push(
                Diagnostic::error(Code::InvalidId, format!("`{}` is not a valid id", id.get_ref()))
                    .at(loc, "letters, digits, `-`, `_` and `.` only"),
            );
            return false;
        }
        let length = fw_id.chars().count() + 1 + id.get_ref().chars().count();
        if length > MAX_ID_CHARS {
            diags.push(
                Diagnostic::error(
                    Code::InvalidId,
                    format!(
                        "`{fw_id}:{}` has {length} characters; an id has at most {MAX_ID_CHARS}, `{fw_id}:` included",
                        id.get_ref()
                    ),
                )
                .at(loc, ""),
            );
            return false;
        }
        if let Some(prev) = seen.get(id.get_ref()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!("`{fw_id}:{}` is defined twice", id.get_ref()),
                )
                .at(loc, "defined again here")
                .also(prev.clone(), "first defined here"),
            );
            return false;
        }
        seen.insert(id.get_ref().clone(), loc);
        true
    };
    let mut controls = Vec::new();
    for c in p.controls {
        if !claim(&c.id, diags) {
            continue;
        }
        check_url(file, &c.source, diags);
        let when = c.when.as_ref().and_then(|s| parse_rule(s, file, taxonomy, map, diags));
        let related = c
            .related
            .iter()
            .map(|r| Related {
                to: ItemId::new(r.to.get_ref().clone()),
                relation: r.relation,
                rationale: r.rationale.clone(),
                confidence: r.confidence,
                loc: loc_of(file, &r.to),
            })
            .collect();
        let mut obligations = Vec::new();
        for o in c.obligation {
            if !claim(&o.id, diags) {
                continue;
            }
            if let Some(src) = &o.source {
                check_url(file, src, diags);
            }
            if o.kind.get_ref() == &crate::model::ObligationKind::Notify && o.notify.is_none() {
                diags.push(
                    Diagnostic::error(
                        Code::MissingField,
                        format!("notify obligation `{fw_id}:{}` names no recipient", o.id.get_ref()),
                    )
                    .at(loc_of(file, &o.kind), "add `notify = \"...\"`"),
                );
            }
            let ob_when = o.when.as_ref().and_then(|s| parse_rule(s, file, taxonomy, map, diags));
            let content = validate_content(&o, &fw_id, file, diags);
            let deadline = o
                .deadline
                .as_ref()
                .and_then(|d| parse_deadline(d, file, calendars, diags));
            let relief = o
                .weekend_relief
                .as_ref()
                .and_then(|r| parse_relief(r, o.deadline.is_some(), file, calendars, taxonomy, map, diags));
            let ob_in_force = in_force(o.effective.as_ref(), o.until.as_ref(), file, diags);
            obligations.push(Obligation {
                id: ItemId::new(format!("{fw_id}:{}", o.id.get_ref())),
                title: o.title,
                kind: o.kind.into_inner(),
                action: o.action,
                when: ob_when,
                deadline,
                notify: o.notify,
                evidence: o.evidence,
                same_as: o.same_as.iter().map(|s| ItemId::new(s.get_ref().clone())).collect(),
                same_as_locs: o.same_as.iter().map(|s| loc_of(file, s)).collect(),
                source: o.source.map_or_else(|| c.source.get_ref().clone(), Spanned::into_inner),
                content,
                notice_title: o.notice_title,
                relief,
                caveats: o.caveats,
                in_force: ob_in_force,
                loc: loc_of(file, &o.id),
            });
        }
        obligations.sort_by(|a, b| a.id.cmp(&b.id));
        controls.push(Control {
            id: ItemId::new(format!("{fw_id}:{}", c.id.get_ref())),
            title: c.title,
            summary: c.summary,
            source: c.source.into_inner(),
            when,
            status: c.status,
            related,
            obligations,
            loc: loc_of(file, &c.id),
        });
    }
    controls.sort_by(|a, b| a.id.cmp(&b.id));
    Framework {
        id: ItemId::new(fw_id),
        title: spec.title,
        kind: spec.kind,
        source: spec.source.into_inner(),
        scope,
        caveats: spec.caveats,
        in_force: fw_in_force,
        controls,
        loc: fw_loc,
    }
}

/// Reads `effective` and `until`: each a TOML date without a time (`2026-09-11`), and
/// `until` after `effective`. A bad value is reported at its place and left out.
fn in_force(
    effective: Option<&Spanned<toml::Value>>,
    until: Option<&Spanned<toml::Value>>,
    file: FileId,
    diags: &mut Vec<Diagnostic>,
) -> InForce {
    let mut day = |key: &str, v: Option<&Spanned<toml::Value>>| {
        let v = v?;
        let parsed = match v.get_ref() {
            toml::Value::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
                (Some(d), None, None) => jiff::civil::Date::new(
                    i16::try_from(d.year).unwrap_or(i16::MAX),
                    i8::try_from(d.month).unwrap_or(i8::MAX),
                    i8::try_from(d.day).unwrap_or(i8::MAX),
                )
                .ok(),
                _ => None,
            },
            _ => None,
        };
        if parsed.is_none() {
            diags.push(
                Diagnostic::error(
                    Code::InvalidDate,
                    format!("`{key}` must be a calendar date, written as a TOML date without quotes or a time"),
                )
                .at(loc_of(file, v), "e.g. `2026-09-11`"),
            );
        }
        parsed.map(Day::of)
    };
    let mut dates = InForce {
        effective: day("effective", effective),
        until: day("until", until),
    };
    if let (Some(e), Some(u), Some(u_spec)) = (dates.effective, dates.until, until) {
        if u <= e {
            diags.push(
                Diagnostic::error(
                    Code::InvalidDate,
                    format!("`until = {u}` must come after `effective = {e}`"),
                )
                .at(loc_of(file, u_spec), "the first day it no longer applies"),
            );
            dates.until = None;
        }
    }
    dates
}

fn validate_content(o: &spec::ObligationSpec, fw_id: &str, file: FileId, diags: &mut Vec<Diagnostic>) -> Vec<Content> {
    if (!o.content.is_empty() || o.notice_title.is_some()) && o.kind.get_ref() != &crate::model::ObligationKind::Notify
    {
        diags.push(
            Diagnostic::error(
                Code::InvalidValue,
                format!(
                    "`{fw_id}:{}` lists notification content but is not a notify obligation",
                    o.id.get_ref()
                ),
            )
            .at(loc_of(file, &o.kind), "content belongs to `kind = \"notify\"`"),
        );
    }
    let mut seen: HashMap<&str, Loc> = HashMap::new();
    let mut out = Vec::new();
    for c in &o.content {
        let field = c.field.get_ref();
        let loc = loc_of(file, &c.field);
        if field.is_empty()
            || !field
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '_')
        {
            diags.push(
                Diagnostic::error(Code::InvalidId, format!("content field `{field}` is not snake_case"))
                    .at(loc.clone(), "lowercase letters, digits and `_`"),
            );
        }
        if let Some(prev) = seen.get(field.as_str()) {
            diags.push(
                Diagnostic::error(
                    Code::DuplicateId,
                    format!(
                        "content field `{field}` is listed twice in `{fw_id}:{}`",
                        o.id.get_ref()
                    ),
                )
                .at(loc.clone(), "listed again here")
                .also(prev.clone(), "first listed here"),
            );
        }
        seen.insert(field, loc);
        for key in &c.from {
            if !crate::incident::KEYS.contains(&key.get_ref().as_str()) {
                let mut d = Diagnostic::error(
                    Code::InvalidValue,
                    format!("`{}` is not an incident key", key.get_ref()),
                )
                .at(loc_of(file, key), "");
                if let Some(s) = did_you_mean(key.get_ref(), crate::incident::KEYS.iter().copied()) {
                    d = d.note(format!("help: did you mean `{s}`?"));
                }
                diags.push(d);
            }
        }
        out.push(Content {
            field: field.clone(),
            heading: c.heading.clone(),
            help: c.help.clone(),
            from: c.from.iter().map(|k| k.get_ref().clone()).collect(),
            required: c.required,
            phased: c.phased,
        });
    }
    out
}

/// A local time of day written `HH:MM`.
fn hh_mm(text: &str) -> Option<jiff::civil::Time> {
    text.parse::<jiff::civil::Time>().ok().filter(|_| text.len() == 5)
}

/// Reads `weekend_relief`: the local time on the next working day, the calendars it may
/// be counted on (each with a `place`), and its condition.
fn parse_relief(
    r: &Spanned<spec::ReliefSpec>,
    has_deadline: bool,
    file: FileId,
    calendars: &[Calendar],
    taxonomy: &Taxonomy,
    map: &SourceMap,
    diags: &mut Vec<Diagnostic>,
) -> Option<Relief> {
    let spec = r.get_ref();
    let text = spec.next_working_day.get_ref();
    let at = hh_mm(text);
    if at.is_none() {
        diags.push(
            Diagnostic::error(
                Code::InvalidDeadline,
                format!("`{text}` is not a time of day as `HH:MM`"),
            )
            .at(loc_of(file, &spec.next_working_day), ""),
        );
    }
    if !has_deadline {
        diags.push(
            Diagnostic::error(Code::InvalidDeadline, "`weekend_relief` without a `deadline`")
                .at(loc_of(file, r), "relief extends a deadline; add one"),
        );
    }
    let mut relief_calendars = Vec::new();
    for id in &spec.calendars {
        match calendars.iter().find(|c| c.id.as_str() == id.get_ref()) {
            Some(c) if c.place.is_some() => relief_calendars.push(c.id.clone()),
            Some(_) => diags.push(
                Diagnostic::error(
                    Code::InvalidDeadline,
                    format!(
                        "calendar `{}` names no `place`, so no organisation is established there",
                        id.get_ref()
                    ),
                )
                .at(loc_of(file, id), ""),
            ),
            None => diags.push(
                Diagnostic::error(
                    Code::InvalidDeadline,
                    format!("no holiday calendar `{}` in the catalog", id.get_ref()),
                )
                .at(loc_of(file, id), ""),
            ),
        }
    }
    let when = spec.when.as_ref().map(|w| parse_rule(w, file, taxonomy, map, diags));
    Some(Relief {
        at: at?,
        calendars: relief_calendars,
        when: when.map(|w| w.ok_or(())).transpose().ok()?,
    })
}

/// Reads a deadline: every alternative's `within` and `from`, each problem reported at
/// the place of the value at fault (or of its table when a key is missing). With the
/// deadline come the places of the alternatives' `from`.
fn parse_deadline(
    d: &Spanned<DeadlineSpec>,
    file: FileId,
    calendars: &[Calendar],
    diags: &mut Vec<Diagnostic>,
) -> Option<Deadline> {
    let invalid = |message: String, loc: Loc| Diagnostic::error(Code::InvalidDeadline, message).at(loc, "");
    let tables: Vec<(Loc, &AlternativeSpec)> = match d.get_ref() {
        DeadlineSpec::One(table) => vec![(loc_of(file, d), &**table)],
        DeadlineSpec::Many(items) if !items.is_empty() => {
            if let Some(item) = items.iter().find(|item| item.get_ref().is_none()) {
                diags.push(invalid(
                    "a deadline array must hold only tables".to_owned(),
                    loc_of(file, item),
                ));
                return None;
            }
            items
                .iter()
                .filter_map(|item| item.get_ref().as_ref().map(|table| (loc_of(file, item), table)))
                .collect()
        }
        DeadlineSpec::Many(_) | DeadlineSpec::Other => {
            diags.push(invalid(
                "a deadline is a table `{ within = \"72h\", from = \"discovered\" }` or an array of them".to_owned(),
                loc_of(file, d),
            ));
            return None;
        }
    };
    let mut alternatives = Vec::new();
    let mut ok = true;
    for (table_loc, t) in tables {
        match alternative(t, &table_loc, file, calendars) {
            Ok(alt) => alternatives.push(alt),
            Err((message, loc)) => {
                diags.push(invalid(message, loc));
                ok = false;
            }
        }
    }
    ok.then_some(Deadline { alternatives })
}

/// One `{ within, from }` table and the place of its `from`, or the first problem with
/// it and its place.
fn alternative(
    t: &AlternativeSpec,
    table_loc: &Loc,
    file: FileId,
    calendars: &[Calendar],
) -> Result<Alternative, (String, Loc)> {
    // Keys in name order, as TOML tables list them.
    if let Some(key) = t.unknown.iter().min() {
        return Err((
            format!(
                "unknown key `{key}` in a deadline; expected `within`, `from`, `after`, `calendar`, `end_of_day` and `cutoff`"
            ),
            table_loc.clone(),
        ));
    }
    let text = |value: &Option<Spanned<MaybeString>>, missing: &str| match value {
        Some(v) => match v.get_ref() {
            MaybeString::String(s) => Ok((s.clone(), loc_of(file, v))),
            MaybeString::NotString => Err((missing.to_owned(), loc_of(file, v))),
        },
        None => Err((missing.to_owned(), table_loc.clone())),
    };
    let (within, within_loc) = text(
        &t.within,
        "a deadline needs `within` as a string, e.g. `within = \"72h\"`",
    )?;
    let within = Within::parse(&within).map_err(|e| (e, within_loc))?;
    let (from, from_loc) = text(
        &t.from,
        "a deadline needs `from`: a timeline date (occurred, discovered, determined, classified, material, paid) or an obligation id",
    )?;
    let from = if let Some(key) = TimelineKey::parse(&from) {
        Start::Timeline(key)
    } else if from.contains(':') {
        Start::Obligation(ItemId::new(from))
    } else {
        let help = did_you_mean(&from, TimelineKey::ALL.iter().map(|k| k.as_str()));
        return Err((
            format!(
                "`{from}` is neither a timeline date nor an obligation id (`framework:id`){}",
                help.map(|h| format!("; did you mean `{h}`?")).unwrap_or_default()
            ),
            from_loc,
        ));
    };
    let after = match &t.after {
        None => None,
        Some(v) => match v.get_ref() {
            MaybeString::String(s) => match PeriodEnd::parse(s) {
                Some(p) => Some(p),
                None => {
                    return Err((
                        format!("`after = \"{s}\"` is not a period end; the one known is `year-end`"),
                        loc_of(file, v),
                    ));
                }
            },
            MaybeString::NotString => {
                return Err((
                    "`after` must be a string, e.g. `after = \"year-end\"`".to_owned(),
                    loc_of(file, v),
                ));
            }
        },
    };
    let counted_in_days = !matches!(within, Within::Hours(_) | Within::WithoutUndueDelay);
    let calendar = match optional_text(
        t.calendar.as_ref(),
        file,
        "`calendar` must be a string, e.g. `calendar = \"us-federal\"`",
    )? {
        None => None,
        Some((id, loc)) => {
            if !matches!(within, Within::BusinessDays(_)) {
                return Err((
                    format!("`calendar` goes with business days (`<n>bd`), not `{within}`"),
                    loc,
                ));
            }
            if calendars.iter().all(|c| c.id.as_str() != id) {
                let help = did_you_mean(&id, calendars.iter().map(|c| c.id.as_str()));
                return Err((
                    format!(
                        "no holiday calendar `{id}` in the catalog{}",
                        help.map(|h| format!("; did you mean `{h}`?")).unwrap_or_default()
                    ),
                    loc,
                ));
            }
            Some(ItemId::new(id))
        }
    };
    let zone = optional_text(
        t.end_of_day.as_ref(),
        file,
        "`end_of_day` must be a time zone name, e.g. `end_of_day = \"America/New_York\"`",
    )?;
    let cutoff = optional_text(
        t.cutoff.as_ref(),
        file,
        "`cutoff` must be a time, e.g. `cutoff = \"17:30\"`",
    )?;
    let end_of_day = match (zone, cutoff) {
        (None, None) => None,
        (None, Some((_, loc))) => return Err(("`cutoff` goes with `end_of_day`".to_owned(), loc)),
        (Some((zone, loc)), cutoff) => {
            if !counted_in_days {
                return Err((
                    format!("`end_of_day` goes with days, business days or months, not `{within}`"),
                    loc,
                ));
            }
            if jiff::tz::db().get(&zone).is_err() {
                return Err((
                    format!("`{zone}` is not a time zone of the IANA database (e.g. `America/New_York`)"),
                    loc,
                ));
            }
            let cutoff = match cutoff {
                None => None,
                Some((text, loc)) => {
                    Some(hh_mm(&text).ok_or_else(|| (format!("`{text}` is not a time of day as `HH:MM`"), loc))?)
                }
            };
            Some(EndOfDay::new(zone, cutoff))
        }
    };
    Ok(Alternative {
        within,
        from,
        after,
        calendar,
        end_of_day,
        from_loc,
    })
}

/// An optional string key of a deadline table, with its place.
fn optional_text(
    value: Option<&Spanned<MaybeString>>,
    file: FileId,
    not_string: &str,
) -> Result<Option<(String, Loc)>, (String, Loc)> {
    match value {
        None => Ok(None),
        Some(v) => match v.get_ref() {
            MaybeString::String(s) => Ok(Some((s.clone(), loc_of(file, v)))),
            MaybeString::NotString => Err((not_string.to_owned(), loc_of(file, v))),
        },
    }
}

/// Every `related`, `same_as` and chained-deadline target must exist. A dangling one is
/// an error, so the catalog is refused and nothing downstream sees it.
fn check_references(frameworks: &[Framework], diags: &mut Vec<Diagnostic>) {
    let mut controls: HashSet<&str> = HashSet::with_capacity(frameworks.iter().map(|f| f.controls.len()).sum());
    let mut obligations: HashSet<&str> = HashSet::with_capacity(
        frameworks
            .iter()
            .flat_map(|f| &f.controls)
            .map(|c| c.obligations.len())
            .sum(),
    );
    for c in frameworks.iter().flat_map(|f| &f.controls) {
        controls.insert(&c.id);
        obligations.extend(c.obligations.iter().map(|o| o.id.as_str()));
    }
    let dangling = |what: &str, target: &str, set: &HashSet<&str>, loc: &Loc| {
        let mut d = Diagnostic::error(Code::DanglingReference, format!("{what} `{target}` does not exist"))
            .at(loc.clone(), "referenced here");
        // The suggestion does not depend on the set's order: ties go to the smaller id.
        if let Some(s) = did_you_mean(target, set.iter().copied()) {
            d = d.note(format!("help: did you mean `{s}`?"));
        }
        d
    };
    // Each framework's references are checked on their own, on every core for a large
    // catalog; the diagnostics come back in framework order.
    let check = |f: &Framework| {
        let mut found = Vec::new();
        for c in &f.controls {
            for r in &c.related {
                if !controls.contains(r.to.as_str()) {
                    found.push(dangling("related control", &r.to, &controls, &r.loc));
                }
            }
            for o in &c.obligations {
                for (s, loc) in o.same_as.iter().zip(&o.same_as_locs) {
                    if !obligations.contains(s.as_str()) {
                        found.push(dangling("same_as obligation", s, &obligations, loc));
                    }
                }
                for alt in o.deadline.iter().flat_map(|d| &d.alternatives) {
                    if let Start::Obligation(id) = &alt.from {
                        if !obligations.contains(id.as_str()) {
                            found.push(dangling("deadline start obligation", id, &obligations, &alt.from_loc));
                        }
                    }
                }
            }
        }
        found
    };
    let found: Vec<Vec<Diagnostic>> = if controls.len() < PARALLEL_CONTROLS {
        frameworks.iter().map(check).collect()
    } else {
        frameworks.par_iter().map(check).collect()
    };
    diags.extend(found.into_iter().flatten());
}

/// The obligations whose deadline an obligation's counts from.
fn counts_from(o: &Obligation) -> impl Iterator<Item = &str> {
    o.deadline
        .iter()
        .flat_map(|d| d.alternatives.iter())
        .filter_map(|alt| match &alt.from {
            Start::Obligation(id) => Some(id.as_str()),
            Start::Timeline(_) => None,
        })
}

pub(super) fn check_deadline_cycles(frameworks: &[Framework], diags: &mut Vec<Diagnostic>) {
    let obligations: Vec<&Obligation> = frameworks
        .iter()
        .flat_map(|f| f.controls.iter().flat_map(|c| c.obligations.iter()))
        .collect();
    // Every obligation in a cycle counts its deadline from another, so only those are
    // looked at; `nodes` are their places in `obligations`.
    let nodes: Vec<usize> = (0..obligations.len())
        .filter(|&i| counts_from(obligations[i]).next().is_some())
        .collect();
    if nodes.is_empty() {
        return;
    }
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(n, &i)| (obligations[i].id.as_str(), n))
        .collect();
    CycleReport {
        code: Code::DeadlineCycle,
        message: "deadlines are counted from each other in a cycle",
        help: None,
    }
    .check(
        nodes.len(),
        |n| counts_from(obligations[nodes[n]]).filter_map(|from| index.get(from).copied()),
        |n| obligations[nodes[n]].id.to_string(),
        |n| Some(obligations[nodes[n]].loc.clone()),
        diags,
    );
}
