//! Deadlines (DESIGN §3): `within` a duration `from` a timeline date or another
//! obligation, and the arithmetic that turns them into due times in UTC.
//!
//! Hours are exact. Days, business days and months are counted on a calendar: the
//! deadline's `end_of_day` time zone, else its holiday calendar's, else UTC (a month
//! from 31 January is the last day of February). Business days skip Saturdays, Sundays
//! and, when the deadline names a calendar, that calendar's holidays. The due time keeps
//! the start's time of day, or is the end of the due day (or its `cutoff`) in the
//! `end_of_day` zone.

use std::fmt;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Span, Timestamp};
use serde::{Deserialize, Serialize};

use crate::calendar::{self, Calendar, Outside};
use crate::model::ItemId;

/// The dates an incident's `[timeline]` may give.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum TimelineKey {
    /// When the incident happened.
    Occurred,
    /// Awareness.
    Discovered,
    /// Determined to be a reportable incident.
    Determined,
    /// Classified as major (DORA).
    Classified,
    /// Materiality determined (SEC).
    Material,
    /// Extortion payment made.
    Paid,
    /// A corrective or mitigating measure made available (CRA Art. 14(2)(c)).
    Mitigated,
}

impl TimelineKey {
    /// Every key, in timeline order.
    pub const ALL: [TimelineKey; 7] = [
        TimelineKey::Occurred,
        TimelineKey::Discovered,
        TimelineKey::Determined,
        TimelineKey::Classified,
        TimelineKey::Material,
        TimelineKey::Paid,
        TimelineKey::Mitigated,
    ];

    /// The key as written in incident files.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            TimelineKey::Occurred => "occurred",
            TimelineKey::Discovered => "discovered",
            TimelineKey::Determined => "determined",
            TimelineKey::Classified => "classified",
            TimelineKey::Material => "material",
            TimelineKey::Paid => "paid",
            TimelineKey::Mitigated => "mitigated",
        }
    }

    /// How a report asks for the date when an obligation's clock waits for it.
    #[must_use]
    pub fn question(self) -> &'static str {
        match self {
            TimelineKey::Occurred => "When did the incident happen?",
            TimelineKey::Discovered => "When did the organisation become aware of the incident?",
            TimelineKey::Determined => "When was it determined that a reportable (cybersecurity) incident occurred?",
            TimelineKey::Classified => "When was the incident classified as major (DORA)?",
            TimelineKey::Material => "When was the incident determined to be material (SEC)?",
            TimelineKey::Paid => "When was an extortion payment made, if one was?",
            TimelineKey::Mitigated => "When was a corrective or mitigating measure (a security update) made available?",
        }
    }

    /// Parses a key.
    #[must_use]
    pub fn parse(s: &str) -> Option<TimelineKey> {
        TimelineKey::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl fmt::Display for TimelineKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The end of a period that a clock may count from (`after = "year-end"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PeriodEnd {
    /// The end of the calendar year (UTC) in which the start falls: its last second,
    /// 31 December 23:59:59, so that "60 days after the end of the year" of a breach
    /// discovered in 2017 ends on 1 March 2018 at 23:59:59.
    YearEnd,
}

impl PeriodEnd {
    /// Parses `year-end`.
    #[must_use]
    pub fn parse(s: &str) -> Option<PeriodEnd> {
        (s == "year-end").then_some(PeriodEnd::YearEnd)
    }

    /// As written in catalogs.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            PeriodEnd::YearEnd => "year-end",
        }
    }

    /// The end of the period `start` falls in.
    pub fn end(self, start: Timestamp) -> Result<Timestamp, OutOfRange> {
        match self {
            PeriodEnd::YearEnd => {
                let year = start.to_zoned(TimeZone::UTC).year();
                jiff::civil::date(year, 12, 31)
                    .at(23, 59, 59, 0)
                    .to_zoned(TimeZone::UTC)
                    .map(|z| z.timestamp())
                    .map_err(|_| OutOfRange)
            }
        }
    }
}

/// A due time past the last instant the calendar can hold (the end of the year 9999).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutOfRange;

/// How long after the start an obligation is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Within {
    /// Exact hours.
    Hours(u32),
    /// Calendar days.
    Days(u32),
    /// Monday to Friday.
    BusinessDays(u32),
    /// Calendar months.
    Months(u32),
    /// No fixed time: shown, not computed.
    WithoutUndueDelay,
}

/// The largest count accepted in a duration: a century of days.
const MAX_COUNT: u32 = 36_600;

impl Within {
    /// Parses `72h`, `30d`, `4bd`, `1mo` or `without undue delay`.
    pub fn parse(s: &str) -> Result<Within, String> {
        if s == "without undue delay" {
            return Ok(Within::WithoutUndueDelay);
        }
        let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
        let (digits, unit) = s.split_at(split);
        let expected = "expected `<n>h`, `<n>d`, `<n>bd`, `<n>mo` or `without undue delay`";
        let n: u32 = digits
            .parse()
            .map_err(|_| format!("`{s}` is not a duration: {expected}"))?;
        if n > MAX_COUNT {
            return Err(format!("`{s}` is longer than ctrlmap counts ({MAX_COUNT} at most)"));
        }
        match unit {
            "h" => Ok(Within::Hours(n)),
            "d" => Ok(Within::Days(n)),
            "bd" => Ok(Within::BusinessDays(n)),
            "mo" => Ok(Within::Months(n)),
            _ => Err(format!("`{s}` has an unknown unit: {expected}")),
        }
    }

    /// The due time counted from `start` on the UTC calendar, keeping the time of day
    /// and skipping weekends only; `None` for a text deadline.
    pub fn due(self, start: Timestamp) -> Result<Option<Timestamp>, OutOfRange> {
        match self.count(start, None, None)? {
            Count::Due(t) => Ok(Some(t)),
            Count::Text | Count::Outside(_) => Ok(None),
        }
    }

    /// The due time counted from `start`: in the zone of `end_of_day`, else of
    /// `calendar`, else UTC; business days skip `calendar`'s holidays too.
    pub fn count(
        self,
        start: Timestamp,
        calendar: Option<&Calendar>,
        end_of_day: Option<&EndOfDay>,
    ) -> Result<Count, OutOfRange> {
        let zone = calendar::zone(counting_zone(end_of_day, calendar));
        let local = start.to_zoned(zone.clone());
        let day: Date = match self {
            Within::WithoutUndueDelay => return Ok(Count::Text),
            Within::Hours(n) => {
                return start
                    .checked_add(SignedDuration::from_hours(i64::from(n)))
                    .map(Count::Due)
                    .map_err(|_| OutOfRange);
            }
            Within::Days(n) => local
                .date()
                .checked_add(Span::new().days(i64::from(n)))
                .map_err(|_| OutOfRange)?,
            Within::Months(n) => local
                .date()
                .checked_add(Span::new().months(i64::from(n)))
                .map_err(|_| OutOfRange)?,
            Within::BusinessDays(n) => {
                let mut day = local.date();
                let mut left = n;
                while left > 0 {
                    day = day.tomorrow().map_err(|_| OutOfRange)?;
                    let business = match calendar {
                        Some(c) => match c.is_business_day(day) {
                            Ok(b) => b,
                            Err(outside) => return Ok(Count::Outside(outside)),
                        },
                        None => !calendar::is_weekend(day),
                    };
                    if business {
                        left -= 1;
                    }
                }
                day
            }
        };
        let time = end_of_day.map_or_else(|| local.time(), |e| e.at);
        day.to_datetime(time)
            .to_zoned(zone)
            .map(|z| Count::Due(z.timestamp()))
            .map_err(|_| OutOfRange)
    }
}

/// The IANA name of the zone a deadline's days are counted in: its `end_of_day` zone,
/// else its holiday calendar's, else UTC.
#[must_use]
pub(crate) fn counting_zone<'a>(end_of_day: Option<&'a EndOfDay>, calendar: Option<&'a Calendar>) -> &'a str {
    match (end_of_day, calendar) {
        (Some(e), _) => &e.zone,
        (None, Some(c)) => &c.time_zone,
        (None, None) => "UTC",
    }
}

/// What counting a deadline gives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    /// A due time.
    Due(Timestamp),
    /// A text deadline (`without undue delay`): shown, not computed.
    Text,
    /// The count reached a day outside the years its calendar covers.
    Outside(Outside),
}

/// Where a deadline's day ends: `end_of_day = "America/New_York"`, with an optional
/// `cutoff = "17:30"` for a filing system that dates later submissions the next day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EndOfDay {
    /// The IANA time zone.
    pub zone: String,
    /// The local time the day ends at: 23:59:59, or the cut-off.
    pub at: Time,
    /// Whether `at` is a cut-off rather than the end of the day.
    pub cutoff: bool,
}

impl EndOfDay {
    /// The end of the day in `zone`, or at `cutoff` there.
    #[must_use]
    pub fn new(zone: String, cutoff: Option<Time>) -> EndOfDay {
        EndOfDay {
            zone,
            at: cutoff.unwrap_or(Time::constant(23, 59, 59, 0)),
            cutoff: cutoff.is_some(),
        }
    }

    /// The time zone.
    #[must_use]
    pub fn zone(&self) -> TimeZone {
        calendar::zone(&self.zone)
    }
}

impl fmt::Display for EndOfDay {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.cutoff {
            write!(f, "by {} {} time", self.at.strftime("%H:%M"), self.zone)
        } else {
            write!(f, "by the end of the day in {}", self.zone)
        }
    }
}

impl fmt::Display for Within {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Within::Hours(n) => write!(f, "{n}h"),
            Within::Days(n) => write!(f, "{n}d"),
            Within::BusinessDays(n) => write!(f, "{n}bd"),
            Within::Months(n) => write!(f, "{n}mo"),
            Within::WithoutUndueDelay => f.write_str("without undue delay"),
        }
    }
}

/// Where a deadline is counted from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Start {
    /// A date of the incident's timeline.
    Timeline(TimelineKey),
    /// The due time of another obligation (`framework:id`).
    Obligation(ItemId),
}

impl fmt::Display for Start {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Start::Timeline(k) => f.write_str(k.as_str()),
            Start::Obligation(id) => f.write_str(id),
        }
    }
}

/// One way of counting a deadline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Alternative {
    /// How long.
    pub within: Within,
    /// From what.
    pub from: Start,
    /// Counted from the end of the period the start falls in, rather than the start.
    pub after: Option<PeriodEnd>,
    /// The holiday calendar business days skip.
    pub calendar: Option<ItemId>,
    /// Where the due day ends, when not at the start's time of day.
    pub end_of_day: Option<EndOfDay>,
    /// Where `from` is written.
    pub from_loc: crate::diag::Loc,
}

/// A deadline: due at the earliest of its alternatives whose start is known.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deadline {
    /// At least one.
    pub alternatives: Vec<Alternative>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ts(s: &str) -> Timestamp {
        s.parse().expect("valid timestamp")
    }

    fn due(within: &str, start: &str) -> String {
        Within::parse(within)
            .expect("valid duration")
            .due(ts(start))
            .expect("in range")
            .expect("computable")
            .to_string()
    }

    #[test]
    fn hours_and_days() {
        assert_eq!(due("72h", "2026-02-05T09:00:00Z"), "2026-02-08T09:00:00Z");
        assert_eq!(due("24h", "2026-02-28T12:00:00Z"), "2026-03-01T12:00:00Z");
        assert_eq!(due("30d", "2026-02-05T09:00:00Z"), "2026-03-07T09:00:00Z");
        assert_eq!(due("0h", "2026-02-05T09:00:00Z"), "2026-02-05T09:00:00Z");
    }

    #[test]
    fn business_days_skip_weekends() {
        // Friday + 4 business days = Thursday.
        assert_eq!(due("4bd", "2026-02-06T17:00:00Z"), "2026-02-12T17:00:00Z");
        // Saturday + 1 business day = Monday.
        assert_eq!(due("1bd", "2026-02-07T10:00:00Z"), "2026-02-09T10:00:00Z");
        // Wednesday + 3 business days = Monday.
        assert_eq!(due("3bd", "2026-02-04T10:00:00Z"), "2026-02-09T10:00:00Z");
    }

    #[test]
    fn end_of_day_counts_on_the_local_calendar() {
        let ny = |cutoff| EndOfDay::new("America/New_York".to_owned(), cutoff);
        let count = |within: &str, start: &str, end: &EndOfDay| match Within::parse(within).expect("valid").count(
            ts(start),
            None,
            Some(end),
        ) {
            Ok(Count::Due(t)) => t.to_string(),
            other => panic!("{other:?}"),
        };
        // Four business days from Wednesday 4 October 2023 without a holiday calendar:
        // Tuesday 10 October, at EDGAR's 17:30 cut-off (EDT).
        let cutoff = ny(Some(Time::constant(17, 30, 0, 0)));
        assert_eq!(count("4bd", "2023-10-04T16:00:00Z", &cutoff), "2023-10-10T21:30:00Z");
        // 03:00 UTC on 1 March is still 28 February in New York: thirty days from there
        // end at the close of 30 March, after the switch to daylight time.
        assert_eq!(count("30d", "2026-03-01T03:00:00Z", &ny(None)), "2026-03-31T03:59:59Z");
    }

    #[test]
    fn months_clamp_to_month_end() {
        assert_eq!(due("1mo", "2026-01-31T08:00:00Z"), "2026-02-28T08:00:00Z");
        assert_eq!(due("1mo", "2028-01-31T08:00:00Z"), "2028-02-29T08:00:00Z");
        assert_eq!(due("1mo", "2026-02-08T09:00:00Z"), "2026-03-08T09:00:00Z");
    }

    #[test]
    fn text_deadlines_are_not_computed() {
        assert_eq!(
            Within::parse("without undue delay").map(|w| w.due(ts("2026-02-05T09:00:00Z"))),
            Ok(Ok(None))
        );
    }

    #[test]
    fn bad_durations_are_rejected() {
        for bad in ["", "h", "72", "3w", "-1d", "1.5h", "99999999999h", "40000d", "72 h"] {
            assert!(Within::parse(bad).is_err(), "{bad}");
        }
    }
}
