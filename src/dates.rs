//! Dates as archives and queries write them, and the instants rasd can store: shared by
//! ingest (article metadata) and search (`date:` and `--since`/`--until`).

use std::ops::Range;

use time::format_description::well_known::Rfc3339;
use time::macros::{datetime, format_description};
use time::{Date, Duration, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::analysis::normalizer;

/// The instants rasd can index and search. tantivy stores a date as a signed 64-bit count of
/// nanoseconds since 1970, which reaches from 1677-09-21T00:12:43.15Z to 2262-04-11T23:47:16.85Z:
/// this is the span of whole seconds inside it, its end excluded so that the end itself is
/// representable (a query's upper bound can be set to it).
pub const SUPPORTED: Range<OffsetDateTime> =
    datetime!(1677-09-21 00:12:44 UTC)..datetime!(2262-04-11 23:47:16 UTC);

/// [`SUPPORTED`] for messages.
pub const SUPPORTED_TEXT: &str = "1677-09-21 to 2262-04-11";

/// Why a text is not a usable date.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateError {
    /// Not written as a date rasd reads.
    Invalid,
    /// A date, but outside [`SUPPORTED`].
    OutOfRange,
}

/// A date as rasd reads it: Arabic-Indic, Eastern Arabic-Indic and full-width digits as ASCII
/// digits, full-width signs as ASCII ones (`２０２４－０５`, as an East Asian input method types
/// it), and without the invisible marks a date copied from right-to-left text or a document
/// carries (direction marks, a byte-order mark).
pub fn ascii_digits(text: &str) -> String {
    text.chars()
        .filter(|&c| !normalizer::is_invisible_mark(c))
        .map(|c| normalizer::ascii_digit(normalizer::half_width(c)))
        .collect()
}

/// An article's date: [`parse_date`], checked to be within [`SUPPORTED`].
pub fn article_date(text: &str) -> Result<OffsetDateTime, DateError> {
    let instant = parse_date(text)?;
    if SUPPORTED.contains(&instant) {
        Ok(instant)
    } else {
        Err(DateError::OutOfRange)
    }
}

/// Parses a date: `YYYY-MM-DD` (also with `/` or `.`), RFC 3339, or `YYYY-MM-DD[ T]HH:MM[:SS]`
/// taken as UTC; in any digits. Returns the instant in UTC, which may be outside
/// [`SUPPORTED`]; [`DateError::OutOfRange`] when it is beyond what dates can hold at all
/// (`9999-12-31T23:00:00-02:00` is in year 10000 in UTC).
pub fn parse_date(text: &str) -> Result<OffsetDateTime, DateError> {
    let text = ascii_digits(text.trim());
    if let Ok(dt) = OffsetDateTime::parse(&text, &Rfc3339) {
        return dt
            .checked_to_offset(UtcOffset::UTC)
            .ok_or(DateError::OutOfRange);
    }
    let text = text.replace(['/', '.'], "-");
    let (day, clock) = match text.split_once(['T', ' ']) {
        Some((day, clock)) => (day, Some(clock.trim_end_matches('Z'))),
        None => (text.as_str(), None),
    };
    let date = Date::parse(day, format_description!("[year]-[month]-[day]"))
        .or_else(|_| {
            Date::parse(
                day,
                format_description!("[year]-[month padding:none]-[day padding:none]"),
            )
        })
        .map_err(|_| DateError::Invalid)?;
    let time = match clock {
        None => time::Time::MIDNIGHT,
        Some(clock) => time::Time::parse(clock, format_description!("[hour]:[minute]:[second]"))
            .or_else(|_| time::Time::parse(clock, format_description!("[hour]:[minute]")))
            .map_err(|_| DateError::Invalid)?,
    };
    Ok(PrimitiveDateTime::new(date, time).assume_utc())
}

/// The instants a written date covers: `[start, end)`.
pub struct Period {
    /// The first instant.
    pub start: OffsetDateTime,
    /// The first instant after.
    pub end: OffsetDateTime,
}

fn midnight(date: Date) -> OffsetDateTime {
    PrimitiveDateTime::new(date, Time::MIDNIGHT).assume_utc()
}

/// Reads `YYYY`, `YYYY-MM`, `YYYY-MM-DD` or an RFC 3339 instant, cut to the instants rasd can
/// search ([`SUPPORTED`]): `date:2262` covers 2262-01-01 to 2262-04-11. A date wholly
/// outside them is [`DateError::OutOfRange`], for a bound too (`date:>=1500`): no article can
/// have such a date, so it is a mistake more likely than a wish.
pub fn period(text: &str) -> Result<Period, DateError> {
    let (start, end) = calendar_period(&ascii_digits(text))?;
    supported_part(start, end)
}

/// The part of `[start, end)` within [`SUPPORTED`]; none is [`DateError::OutOfRange`].
fn supported_part(start: OffsetDateTime, end: OffsetDateTime) -> Result<Period, DateError> {
    let supported = SUPPORTED;
    if end <= supported.start || start >= supported.end {
        return Err(DateError::OutOfRange);
    }
    Ok(Period {
        start: start.max(supported.start),
        end: end.min(supported.end),
    })
}

/// Which end of a range a date gives.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// From the date's first instant (`--since`, `date:>=`, a range's first date).
    From,
    /// To the date's last instant (`--until`, `date:<=`, a range's last date).
    Until,
}

/// A range's bound, as [`period`] reads it, but a bound wholly outside the searchable
/// instants on the side the range stays open leaves it open there (`None`): `--since 1600`
/// and `date:[1500 TO 2020]` include every date the index can hold up to theirs. A bound past
/// them on the other side (`--since 2300`) is [`DateError::OutOfRange`]: no date can match.
pub fn bound(text: &str, side: Side) -> Result<Option<Period>, DateError> {
    let (start, end) = calendar_period(&ascii_digits(text))?;
    let supported = SUPPORTED;
    match side {
        Side::From if end <= supported.start => Ok(None),
        Side::Until if start >= supported.end => Ok(None),
        _ => supported_part(start, end).map(Some),
    }
}

/// The `[start, end)` a written date covers, on the calendar. A start that exists with no end
/// (`9999`) is out of range, not invalid.
fn calendar_period(text: &str) -> Result<(OffsetDateTime, OffsetDateTime), DateError> {
    let parts: Vec<&str> = text.split('-').collect();
    let number = |s: &str| {
        s.parse::<i32>()
            .ok()
            .filter(|_| s.chars().all(|c| c.is_ascii_digit()))
            .ok_or(DateError::Invalid)
    };
    let (start, end) = match parts.as_slice() {
        [year] if year.len() == 4 => {
            let year = number(year)?;
            let start = Date::from_calendar_date(year, Month::January, 1);
            let end = Date::from_calendar_date(year + 1, Month::January, 1);
            (start, end)
        }
        [year, month] if year.len() == 4 => {
            let year = number(year)?;
            let month = u8::try_from(number(month)?)
                .ok()
                .and_then(|m| Month::try_from(m).ok())
                .ok_or(DateError::Invalid)?;
            let start = Date::from_calendar_date(year, month, 1);
            let end = match month {
                Month::December => Date::from_calendar_date(year + 1, Month::January, 1),
                _ => Date::from_calendar_date(year, month.next(), 1),
            };
            (start, end)
        }
        _ => {
            let start = parse_date(text)?;
            let length = if text.len() <= 10 {
                Duration::DAY
            } else {
                Duration::SECOND
            };
            let end = start.checked_add(length).ok_or(DateError::OutOfRange)?;
            return Ok((start, end));
        }
    };
    let start = start.map_err(|_| DateError::Invalid)?;
    let end = end.map_err(|_| DateError::OutOfRange)?;
    Ok((midnight(start), midnight(end)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> Option<String> {
        parse_date(text).ok().map(|d| d.date().to_string())
    }

    #[test]
    fn accepted_forms() {
        assert_eq!(day("2024-03-12"), Some("2024-03-12".into()));
        assert_eq!(day("2024/3/5"), Some("2024-03-05".into()));
        assert_eq!(day("2024-03-12T08:30:00Z"), Some("2024-03-12".into()));
        assert_eq!(day("2024-03-12T23:30:00-02:00"), Some("2024-03-13".into()));
        assert_eq!(day("2024-03-12 08:30"), Some("2024-03-12".into()));
        assert_eq!(day("٢٠٢٤-٠٣-١٢"), Some("2024-03-12".into()));
        assert_eq!(day("۲۰۲۴-۰۳-۱۲"), Some("2024-03-12".into()));
        // Full-width, and with the marks of text copied from a right-to-left page.
        assert_eq!(day("２０２４－０３－１２"), Some("2024-03-12".into()));
        assert_eq!(day("\u{200F}2024-03-12\u{200F}"), Some("2024-03-12".into()));
        assert_eq!(day("\u{FEFF}2024-03-12"), Some("2024-03-12".into()));
        let year = |text| bound(text, Side::From).unwrap().unwrap().start.year();
        assert_eq!(year("２０２４"), 2024);
        assert_eq!(year("\u{2067}2024\u{2069}"), 2024);
    }

    #[test]
    fn rejected_forms() {
        for bad in [
            "",
            "yesterday",
            "2024-13-01",
            "2024-02-30",
            "12/03/2024",
            "2024-03-12T25:00",
        ] {
            assert_eq!(day(bad), None, "{bad}");
        }
    }

    #[test]
    fn article_dates_outside_the_supported_range_are_out_of_range() {
        for far in [
            "9999-12-31T23:00:00-02:00",
            "9999-12-31",
            "1600-01-01",
            "1677-09-21T00:12:43Z",
            "2262-04-11T23:47:16Z",
            "0000-01-01T00:00:00+01:00",
        ] {
            assert_eq!(article_date(far), Err(DateError::OutOfRange), "{far}");
        }
        for near in ["1677-09-21T00:12:44Z", "2262-04-11T23:47:15Z", "2024-03-12"] {
            assert!(article_date(near).is_ok(), "{near}");
        }
        assert_eq!(article_date("soon"), Err(DateError::Invalid));
    }
}
