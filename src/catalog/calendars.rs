//! Building the holiday calendars from the `[calendar]` tables of every catalog file:
//! each rule checked at its place, the holidays of the covered years computed once. A
//! later layer's calendar replaces one with the same id; a duplicate within a layer is
//! an error.

use std::collections::BTreeMap;

use jiff::civil::{Date, Weekday};

use super::frameworks::check_url;
use super::{loc_of, valid_framework_id};
use crate::calendar::{Calendar, Day, HolidayRule, Observed, observe};
use crate::diag::{Code, Diagnostic, FileId, did_you_mean};
use crate::model::ItemId;
use crate::spec::{CalendarSpec, CatalogFileSpec, HolidaySpec, Spanned};
use crate::taxonomy::Taxonomy;

/// The years a calendar may cover.
const YEARS: std::ops::RangeInclusive<i64> = 1900..=2200;

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

pub(super) fn build_calendars(
    files: &mut [(usize, FileId, CatalogFileSpec)],
    taxonomy: &Taxonomy,
    diags: &mut Vec<Diagnostic>,
) -> Vec<Calendar> {
    let mut chosen: BTreeMap<String, (usize, Calendar)> = BTreeMap::new();
    for (layer, file, spec) in files.iter_mut() {
        let Some(spec) = spec.calendar.take() else {
            continue;
        };
        let (layer, file) = (*layer, *file);
        let id = spec.get_ref().id.get_ref().clone();
        if let Some((prev_layer, prev)) = chosen.get(&id) {
            if *prev_layer == layer {
                diags.push(
                    Diagnostic::error(Code::DuplicateId, format!("calendar `{id}` is defined twice"))
                        .at(loc_of(file, &spec.get_ref().id), "defined again here")
                        .also(prev.loc.clone(), "first defined here"),
                );
                continue;
            }
        }
        if let Some(calendar) = calendar(spec.into_inner(), file, taxonomy, diags) {
            chosen.insert(id, (layer, calendar));
        }
    }
    chosen.into_values().map(|(_, c)| c).collect()
}

/// One calendar, or `None` after reporting what is wrong with it.
fn calendar(spec: CalendarSpec, file: FileId, taxonomy: &Taxonomy, diags: &mut Vec<Diagnostic>) -> Option<Calendar> {
    let before = diags.len();
    let invalid = |message: String, at: &dyn Fn() -> crate::diag::Loc| {
        Diagnostic::error(Code::InvalidCalendar, message).at(at(), "")
    };
    if !valid_framework_id(spec.id.get_ref()) {
        diags.push(
            Diagnostic::error(
                Code::InvalidId,
                format!("`{}` is not a valid calendar id", spec.id.get_ref()),
            )
            .at(loc_of(file, &spec.id), "lowercase letters, digits and `-`"),
        );
    }
    check_url(file, &spec.source, diags);
    if jiff::tz::db().get(spec.time_zone.get_ref()).is_err() {
        diags.push(invalid(
            format!(
                "`{}` is not a time zone of the IANA database (e.g. `America/New_York`, `Europe/Berlin`)",
                spec.time_zone.get_ref()
            ),
            &|| loc_of(file, &spec.time_zone),
        ));
    }
    if let Some(place) = &spec.place {
        if taxonomy.lookup(&format!("established:{}", place.get_ref())).is_none() {
            diags.push(invalid(
                format!(
                    "`{}` is not a place the taxonomy knows as `established`",
                    place.get_ref()
                ),
                &|| loc_of(file, place),
            ));
        }
    }
    let years = match spec.years.get_ref().as_slice() {
        [first, last] if YEARS.contains(first) && YEARS.contains(last) && first <= last => {
            Some((*first as i16, *last as i16))
        }
        _ => {
            diags.push(invalid(
                format!(
                    "`years` is the first and last year covered, e.g. `[2020, 2035]`, between {} and {}",
                    YEARS.start(),
                    YEARS.end()
                ),
                &|| loc_of(file, &spec.years),
            ));
            None
        }
    };
    let mut rules = Vec::new();
    let mut single = Vec::new();
    for h in &spec.holiday {
        match holiday(h, file) {
            Ok(Holiday::Rule(r)) => rules.push(r),
            Ok(Holiday::Once(d)) => single.push((d, h.name.get_ref().clone())),
            Err(d) => diags.push(d),
        }
    }
    if diags.len() > before {
        return None;
    }
    let years = years?;
    Some(Calendar {
        id: ItemId::new(spec.id.get_ref().clone()),
        title: spec.title,
        source: spec.source.into_inner(),
        time_zone: spec.time_zone.into_inner(),
        place: spec.place.map(Spanned::into_inner),
        years,
        holidays: observe(&rules, &single, years),
        loc: loc_of(file, &spec.id),
    })
}

enum Holiday {
    Rule(HolidayRule),
    Once(Date),
}

/// One `[[calendar.holiday]]`, or the first problem with it at its place.
fn holiday(h: &HolidaySpec, file: FileId) -> Result<Holiday, Diagnostic> {
    let invalid = |message: String, loc| Diagnostic::error(Code::InvalidCalendar, message).at(loc, "");
    let name_loc = || loc_of(file, &h.name);
    let year = |v: &Option<Spanned<i64>>, key: &str| match v {
        None => Ok(None),
        Some(y) if YEARS.contains(y.get_ref()) => Ok(Some(*y.get_ref() as i16)),
        Some(y) => Err(invalid(
            format!("`{key}` is a year between {} and {}", YEARS.start(), YEARS.end()),
            loc_of(file, y),
        )),
    };
    let since = year(&h.since, "since")?;
    let until = year(&h.until, "until")?;
    let observed = match &h.observed {
        None => Observed::AsIs,
        Some(o) => Observed::parse(o.get_ref()).ok_or_else(|| {
            invalid(
                format!(
                    "`observed = \"{}\"` is not a weekend rule; expected one of {}",
                    o.get_ref(),
                    Observed::NAMES.map(|n| format!("`{n}`")).join(", ")
                ),
                loc_of(file, o),
            )
        })?,
    };
    let exactly_one = || {
        invalid(
            format!(
                "holiday `{}` needs exactly one of `date` (`MM-DD` or `YYYY-MM-DD`), `month` with `weekday` and `nth`, or `easter`",
                h.name.get_ref()
            ),
            name_loc(),
        )
    };
    if h.month.is_none() && (h.weekday.is_some() || h.nth.is_some()) {
        return Err(invalid("`weekday` and `nth` go with `month`".to_owned(), name_loc()));
    }
    let day = match (&h.date, &h.month, &h.easter) {
        (Some(date), None, None) => {
            let text = date.get_ref();
            if let Ok(once) = text.parse::<Date>() {
                if text.len() == 10 {
                    return Ok(Holiday::Once(once));
                }
            }
            let parsed = text
                .split_once('-')
                .filter(|(m, d)| m.len() == 2 && d.len() == 2)
                .and_then(|(m, d)| Some((m.parse::<i8>().ok()?, d.parse::<i8>().ok()?)))
                .filter(|(m, d)| Date::new(2000, *m, *d).is_ok());
            match parsed {
                Some((month, day)) => Day::Fixed { month, day },
                None => {
                    return Err(invalid(
                        format!("`{text}` is not a date: expected `MM-DD` (every year) or `YYYY-MM-DD` (once)"),
                        loc_of(file, date),
                    ));
                }
            }
        }
        (None, Some(month), None) => {
            let m = i8::try_from(*month.get_ref())
                .ok()
                .filter(|m| (1..=12).contains(m))
                .ok_or_else(|| invalid("`month` is 1 to 12".to_owned(), loc_of(file, month)))?;
            let weekday = match &h.weekday {
                Some(w) => WEEKDAYS
                    .iter()
                    .find(|(n, _)| *n == w.get_ref())
                    .map(|(_, d)| *d)
                    .ok_or_else(|| {
                        let help = did_you_mean(w.get_ref(), WEEKDAYS.iter().map(|(n, _)| *n));
                        invalid(
                            format!(
                                "`{}` is not a weekday (`monday` … `sunday`){}",
                                w.get_ref(),
                                help.map(|h| format!("; did you mean `{h}`?")).unwrap_or_default()
                            ),
                            loc_of(file, w),
                        )
                    })?,
                None => return Err(invalid("`month` needs `weekday` and `nth`".to_owned(), name_loc())),
            };
            let nth = match &h.nth {
                Some(n) => i8::try_from(*n.get_ref())
                    .ok()
                    .filter(|n| (1..=5).contains(n) || *n == -1)
                    .ok_or_else(|| invalid("`nth` is 1 to 5, or -1 for the last".to_owned(), loc_of(file, n)))?,
                None => return Err(invalid("`month` needs `weekday` and `nth`".to_owned(), name_loc())),
            };
            Day::NthWeekday { month: m, weekday, nth }
        }
        (None, None, Some(offset)) => {
            let days = i16::try_from(*offset.get_ref())
                .ok()
                .filter(|d| (-100..=100).contains(d))
                .ok_or_else(|| {
                    invalid(
                        "`easter` is a number of days, -100 to 100".to_owned(),
                        loc_of(file, offset),
                    )
                })?;
            Day::Easter(days)
        }
        _ => return Err(exactly_one()),
    };
    Ok(Holiday::Rule(HolidayRule {
        name: h.name.get_ref().clone(),
        day,
        observed,
        since,
        until,
    }))
}
