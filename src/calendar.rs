//! Holiday calendars (catalog files with a `[calendar]` table): the days a
//! jurisdiction does not count as business days, and the time zone its dates are read
//! in.
//!
//! A calendar lists rules (a fixed date with its weekend-observed rule, the nth weekday
//! of a month, a day counted from Easter, single dates) and covers a range of years.
//! The catalog loader turns the rules into the set of holiday dates once; asking about a
//! day outside the years is an answer of its own ([`Outside`]), never a guess.

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::diag::Loc;
use crate::model::ItemId;

/// A holiday calendar.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Calendar {
    /// Id, e.g. `us-federal`, named by deadlines (`calendar = "us-federal"`).
    pub id: ItemId,
    /// Shown to people.
    pub title: String,
    /// Where the holidays are set out.
    pub source: String,
    /// The IANA time zone the calendar's dates are read in, e.g. `America/New_York`.
    pub time_zone: String,
    /// The place whose holidays these are (`DE`), when deadlines pick a calendar by
    /// where the organisation is established.
    pub place: Option<String>,
    /// The first and last year covered.
    pub years: (i16, i16),
    /// Every holiday in those years, on the day it is observed, with its name.
    pub(crate) holidays: BTreeMap<Date, String>,
    /// Where it was declared.
    pub loc: Loc,
}

/// A day outside the years a calendar covers: its holidays there are not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outside {
    /// The day asked about.
    pub day: Date,
}

impl Calendar {
    /// The holiday observed on `day`, if any.
    pub fn holiday(&self, day: Date) -> Result<Option<&str>, Outside> {
        if day.year() < self.years.0 || day.year() > self.years.1 {
            return Err(Outside { day });
        }
        Ok(self.holidays.get(&day).map(String::as_str))
    }

    /// Whether `day` is a business day: neither a Saturday, a Sunday nor a holiday.
    pub fn is_business_day(&self, day: Date) -> Result<bool, Outside> {
        Ok(!is_weekend(day) && self.holiday(day)?.is_none())
    }

    /// The calendar's time zone. Its name was checked against the bundled time-zone
    /// database when the catalog loaded.
    #[must_use]
    pub fn zone(&self) -> TimeZone {
        zone(&self.time_zone)
    }

    /// When `due` falls on a Saturday, a Sunday or a holiday here: `at`, local time, on
    /// the next business day; `None` when it falls on a business day.
    pub fn next_working_day(&self, due: Timestamp, at: Time) -> Result<Option<Timestamp>, Outside> {
        let zone = self.zone();
        let mut day = due.to_zoned(zone.clone()).date();
        if self.is_business_day(day)? {
            return Ok(None);
        }
        loop {
            day = day.tomorrow().map_err(|_| Outside { day })?;
            if self.is_business_day(day)? {
                return Ok(day.to_datetime(at).to_zoned(zone).ok().map(|z| z.timestamp()));
            }
        }
    }

    /// The holidays of the covered years, in date order.
    pub fn holidays(&self) -> impl Iterator<Item = (Date, &str)> {
        self.holidays.iter().map(|(d, n)| (*d, n.as_str()))
    }
}

/// Saturday or Sunday.
#[must_use]
pub(crate) fn is_weekend(day: Date) -> bool {
    matches!(day.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// A time zone by its IANA name, from the database bundled into ctrlmap (so that every
/// machine computes the same times). Names were validated when the catalog loaded; an
/// unknown one here falls back to UTC rather than failing a report.
#[must_use]
pub(crate) fn zone(name: &str) -> TimeZone {
    jiff::tz::db().get(name).unwrap_or(TimeZone::UTC)
}

/// How a holiday falling on a weekend is observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Observed {
    /// Not moved.
    AsIs,
    /// Saturday → the Friday before, Sunday → the Monday after (5 U.S.C. 6103(b)).
    NearestWeekday,
    /// Saturday or Sunday → the next weekday that is not already a holiday (Christmas
    /// and St Stephen's Day on a weekend → Monday and Tuesday).
    NextWeekday,
    /// Sunday → the Saturday before (the Netherlands' King's Day).
    SaturdayIfSunday,
}

impl Observed {
    /// As written in calendar files.
    pub(crate) const NAMES: [&'static str; 4] = ["as-is", "nearest-weekday", "next-weekday", "saturday-if-sunday"];

    /// Parses a name of [`Observed::NAMES`].
    #[must_use]
    pub(crate) fn parse(s: &str) -> Option<Observed> {
        match s {
            "as-is" => Some(Observed::AsIs),
            "nearest-weekday" => Some(Observed::NearestWeekday),
            "next-weekday" => Some(Observed::NextWeekday),
            "saturday-if-sunday" => Some(Observed::SaturdayIfSunday),
            _ => None,
        }
    }
}

/// Which day of a year a holiday falls on, before any weekend rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Day {
    /// The same month and day every year.
    Fixed {
        /// 1–12.
        month: i8,
        /// 1–31.
        day: i8,
    },
    /// The nth given weekday of a month; `nth` -1 is the last.
    NthWeekday {
        /// 1–12.
        month: i8,
        /// Which weekday.
        weekday: Weekday,
        /// 1–5, or -1 for the last.
        nth: i8,
    },
    /// Days after (or, negative, before) Western Easter Sunday.
    Easter(i16),
}

impl Day {
    /// The day in `year`, or `None` when it does not exist there (29 February, a fifth
    /// Monday).
    #[must_use]
    pub(crate) fn in_year(self, year: i16) -> Option<Date> {
        match self {
            Day::Fixed { month, day } => Date::new(year, month, day).ok(),
            Day::NthWeekday { month, weekday, nth } => {
                Date::new(year, month, 1).ok()?.nth_weekday_of_month(nth, weekday).ok()
            }
            Day::Easter(offset) => easter(year)?.checked_add(jiff::Span::new().days(offset)).ok(),
        }
    }
}

/// Western (Gregorian) Easter Sunday: the anonymous Gregorian algorithm (Meeus/Jones/
/// Butcher), whose steps are named by single letters as published.
#[must_use]
#[allow(clippy::many_single_char_names, reason = "the algorithm's published names")]
pub(crate) fn easter(year: i16) -> Option<Date> {
    let y = i32::from(year);
    let a = y % 19;
    let b = y / 100;
    let c = y % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    Date::new(year, i8::try_from(month).ok()?, i8::try_from(day).ok()?).ok()
}

/// One holiday rule of a calendar, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct HolidayRule {
    /// Its name.
    pub name: String,
    /// Which day.
    pub day: Day,
    /// The weekend rule.
    pub observed: Observed,
    /// The first and last year the rule holds (inclusive), when limited.
    pub since: Option<i16>,
    /// The last year it holds.
    pub until: Option<i16>,
}

/// Every holiday of `rules` observed in `years`, by date. Rules are applied in order, so
/// that `next-weekday` can step over a holiday an earlier rule already placed; the
/// years on either side are computed too, since a 1 January on a Saturday is observed
/// on the 31 December before.
#[must_use]
pub(crate) fn observe(rules: &[HolidayRule], single: &[(Date, String)], years: (i16, i16)) -> BTreeMap<Date, String> {
    let mut out: BTreeMap<Date, String> = BTreeMap::new();
    for year in years.0.saturating_sub(1)..=years.1.saturating_add(1) {
        for rule in rules {
            if rule.since.is_some_and(|s| year < s) || rule.until.is_some_and(|u| year > u) {
                continue;
            }
            let Some(day) = rule.day.in_year(year) else {
                continue;
            };
            let observed = match (rule.observed, day.weekday()) {
                (Observed::NearestWeekday, Weekday::Saturday) | (Observed::SaturdayIfSunday, Weekday::Sunday) => {
                    day.yesterday().ok()
                }
                (Observed::NearestWeekday, Weekday::Sunday) => day.tomorrow().ok(),
                (Observed::NextWeekday, Weekday::Saturday | Weekday::Sunday) => {
                    let mut d = day.tomorrow().ok();
                    while let Some(next) = d.filter(|d| is_weekend(*d) || out.contains_key(d)) {
                        d = next.tomorrow().ok();
                    }
                    d
                }
                _ => Some(day),
            };
            if let Some(d) = observed {
                let name = if d == day {
                    rule.name.clone()
                } else {
                    format!("{} (observed)", rule.name)
                };
                out.entry(d).or_insert(name);
            }
        }
    }
    for (d, name) in single {
        out.entry(*d).or_insert_with(|| name.clone());
    }
    out.retain(|d, _| d.year() >= years.0 && d.year() <= years.1);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn easter_sundays() {
        for (y, m, d) in [
            (2020, 4, 12),
            (2023, 4, 9),
            (2024, 3, 31),
            (2025, 4, 20),
            (2026, 4, 5),
            (2035, 3, 25),
        ] {
            assert_eq!(easter(y), Some(date(y, m, d)), "{y}");
        }
    }

    #[test]
    fn nth_and_last_weekdays() {
        let columbus = Day::NthWeekday {
            month: 10,
            weekday: Weekday::Monday,
            nth: 2,
        };
        assert_eq!(columbus.in_year(2023), Some(date(2023, 10, 9)));
        let memorial = Day::NthWeekday {
            month: 5,
            weekday: Weekday::Monday,
            nth: -1,
        };
        assert_eq!(memorial.in_year(2026), Some(date(2026, 5, 25)));
        let fifth = Day::NthWeekday {
            month: 2,
            weekday: Weekday::Monday,
            nth: 5,
        };
        assert_eq!(fifth.in_year(2026), None);
    }

    fn rule(name: &str, month: i8, day: i8, observed: Observed) -> HolidayRule {
        HolidayRule {
            name: name.to_owned(),
            day: Day::Fixed { month, day },
            observed,
            since: None,
            until: None,
        }
    }

    #[test]
    fn weekend_rules() {
        // 1 January 2022 was a Saturday: observed on Friday 31 December 2021.
        let us = observe(
            &[rule("New Year's Day", 1, 1, Observed::NearestWeekday)],
            &[],
            (2021, 2022),
        );
        assert_eq!(
            us.get(&date(2021, 12, 31)).map(String::as_str),
            Some("New Year's Day (observed)")
        );
        assert!(!us.contains_key(&date(2022, 1, 1)));
        // Christmas 2021 on a Saturday, St Stephen's Day on a Sunday: Monday and Tuesday.
        let ie = observe(
            &[
                rule("Christmas Day", 12, 25, Observed::NextWeekday),
                rule("St Stephen's Day", 12, 26, Observed::NextWeekday),
            ],
            &[],
            (2021, 2021),
        );
        assert_eq!(
            ie.keys().copied().collect::<Vec<_>>(),
            [date(2021, 12, 27), date(2021, 12, 28)]
        );
        // King's Day 2025 fell on a Sunday: Saturday 26 April.
        let nl = observe(
            &[rule("King's Day", 4, 27, Observed::SaturdayIfSunday)],
            &[],
            (2025, 2025),
        );
        assert!(nl.contains_key(&date(2025, 4, 26)));
    }

    #[test]
    fn days_outside_the_years_are_not_guessed() {
        let c = Calendar {
            id: ItemId::new("x".to_owned()),
            title: String::new(),
            source: String::new(),
            time_zone: "UTC".to_owned(),
            place: None,
            years: (2020, 2035),
            holidays: BTreeMap::new(),
            loc: Loc::new(crate::diag::SourceMap::new().add("x.toml", ""), 0..0),
        };
        assert_eq!(c.is_business_day(date(2035, 12, 31)), Ok(true));
        assert_eq!(
            c.is_business_day(date(2036, 1, 2)),
            Err(Outside { day: date(2036, 1, 2) })
        );
    }
}
