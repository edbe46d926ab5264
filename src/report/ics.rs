//! The report as an iCalendar file (RFC 5545): one event per dated obligation, with a
//! stable UID per incident and obligation, so that importing it again updates the
//! events instead of adding new ones, and an alarm a few hours before each open one.
//!
//! Written by hand: the format is a few lines per event, and the rules that matter
//! (CRLF line ends, text escaping, folding lines at 75 octets on character
//! boundaries) are in [`line`]. The tests read the file back with an iCalendar parser.

use std::fmt::Write as _;

use jiff::Timestamp;

use super::{counted_from, short_time};
use crate::evaluate::{Exposure, ObligationResult, Status};

/// How long before an open deadline its alarm rings.
const ALARM_HOURS: u32 = 4;

/// The calendar of an exposure. `incident_path` is the incident file as given, for the
/// `explain` command in each event's description.
#[must_use]
pub(crate) fn render(e: &Exposure<'_>, incident_path: &str) -> String {
    let mut out = String::new();
    line(&mut out, "BEGIN", "VCALENDAR");
    line(&mut out, "VERSION", "2.0");
    line(
        &mut out,
        "PRODID",
        &format!("-//ctrlmap//ctrlmap {}//EN", env!("CARGO_PKG_VERSION")),
    );
    line(&mut out, "CALSCALE", "GREGORIAN");
    line(&mut out, "METHOD", "PUBLISH");
    line(
        &mut out,
        "X-WR-CALNAME",
        &text(&format!("ctrlmap: {}", e.incident.title)),
    );
    // DTSTAMP must be a time; the latest date the incident gives keeps the file the same
    // for the same incident, and newer when the incident changes.
    let stamp = e
        .incident
        .timeline
        .values()
        .chain(e.incident.done.iter().map(|d| &d.at))
        .max()
        .copied()
        .unwrap_or(Timestamp::UNIX_EPOCH);
    let mut rows: Vec<&ObligationResult<'_>> = e
        .frameworks
        .iter()
        .flat_map(|f| f.controls.iter().flat_map(|c| c.obligations.iter()))
        .filter(|o| o.due.as_ref().and_then(|d| d.due).is_some())
        .collect();
    rows.sort_by_key(|o| (o.due.as_ref().and_then(|d| d.due), o.obligation.id.as_str()));
    for o in rows {
        let (Some(d), Some(due)) = (o.due.as_ref(), o.due.as_ref().and_then(|d| d.due)) else {
            continue;
        };
        let ob = o.obligation;
        line(&mut out, "BEGIN", "VEVENT");
        line(&mut out, "UID", &format!("{}.{}@ctrlmap", e.incident.id, ob.id));
        line(&mut out, "DTSTAMP", &ics_time(stamp));
        line(&mut out, "DTSTART", &ics_time(due));
        line(&mut out, "DTEND", &ics_time(due));
        let done = if o.done.is_some() { "Done: " } else { "" };
        let recipient = ob.notify.as_deref().map(|n| format!(" → {n}")).unwrap_or_default();
        let title = ob.title.as_deref().map(|t| format!(" — {t}")).unwrap_or_default();
        line(
            &mut out,
            "SUMMARY",
            &text(&format!("{done}{}{title}{recipient}", ob.id)),
        );
        let mut description = format!(
            "{}\n\nDue {} UTC ({}); {}.",
            ob.action,
            short_time(due),
            counted_from(d, d.chosen.unwrap_or(0)),
            match o.status {
                Status::Applies => "applies",
                _ => "may apply: answer the open questions in the report",
            }
        );
        if let Some(done) = o.done {
            let _ = write!(description, "\nDone {} UTC.", short_time(done.at));
        }
        let _ = write!(description, "\nWhy: ctrlmap explain {incident_path} {}", ob.id);
        line(&mut out, "DESCRIPTION", &text(&description));
        line(&mut out, "URL", &ob.source);
        line(
            &mut out,
            "STATUS",
            if o.status == Status::Applies {
                "CONFIRMED"
            } else {
                "TENTATIVE"
            },
        );
        if o.done.is_none() {
            line(&mut out, "BEGIN", "VALARM");
            line(&mut out, "ACTION", "DISPLAY");
            line(
                &mut out,
                "DESCRIPTION",
                &text(&format!("Due in {ALARM_HOURS} hours: {}", ob.id)),
            );
            line(&mut out, "TRIGGER", &format!("-PT{ALARM_HOURS}H"));
            line(&mut out, "END", "VALARM");
        }
        line(&mut out, "END", "VEVENT");
    }
    line(&mut out, "END", "VCALENDAR");
    out
}

/// A UTC time as `20261117T141000Z`.
fn ics_time(t: Timestamp) -> String {
    t.strftime("%Y%m%dT%H%M%SZ").to_string()
}

/// A TEXT value escaped (RFC 5545 §3.3.11): backslash, semicolon, comma and line breaks;
/// characters a calendar program could act on or hide are dropped (`text::is_unsafe`).
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            c if crate::text::is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    out
}

/// One content line, folded at 75 octets (never inside a character) and ended with CRLF.
fn line(out: &mut String, name: &str, value: &str) {
    let full = format!("{name}:{value}");
    let mut width = 0;
    for c in full.chars() {
        if width + c.len_utf8() > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += c.len_utf8();
    }
    out.push_str("\r\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_fold_at_75_octets_on_character_boundaries() {
        let mut out = String::new();
        line(&mut out, "DESCRIPTION", &"é".repeat(100));
        for l in out.split("\r\n").filter(|l| !l.is_empty()) {
            assert!(l.len() <= 75, "{l:?} is {} octets", l.len());
        }
        let unfolded = out.replace("\r\n ", "");
        assert_eq!(unfolded, format!("DESCRIPTION:{}\r\n", "é".repeat(100)));
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(text("a;b,c\\d\ne\u{7}"), "a\\;b\\,c\\\\d\\ne");
    }
}
