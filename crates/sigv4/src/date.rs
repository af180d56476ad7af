//! The signing timestamp, `YYYYMMDDTHHMMSSZ` in UTC.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{Error, Result};

/// A checked SigV4 timestamp (`X-Amz-Date`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AmzDate([u8; 16]);

impl AmzDate {
    /// Parses `YYYYMMDDTHHMMSSZ`, rejecting impossible dates such as 20230230.
    pub fn parse(text: &str) -> Result<Self> {
        let bytes: [u8; 16] = text.as_bytes().try_into().map_err(|_| Error::InvalidDate)?;
        let digits_at = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
        if !(digits_at(0..8) && digits_at(9..15) && bytes[8] == b'T' && bytes[15] == b'Z') {
            return Err(Error::InvalidDate);
        }
        let number = |range: std::ops::Range<usize>| {
            bytes[range]
                .iter()
                .fold(0u32, |n, d| n * 10 + u32::from(d - b'0'))
        };
        let (year, month, day) = (number(0..4), number(4..6), number(6..8));
        let (hour, minute, second) = (number(9..11), number(11..13), number(13..15));
        let valid = (1..=12).contains(&month)
            && (1..=days_in_month(year, month)).contains(&day)
            && hour < 24
            && minute < 60
            && second < 60;
        if valid {
            Ok(Self(bytes))
        } else {
            Err(Error::InvalidDate)
        }
    }

    /// The current time from the system clock.
    pub fn now() -> Result<Self> {
        let elapsed = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_err(|_| Error::InvalidDate)?;
        Self::from_unix_seconds(elapsed.as_secs())
    }

    /// The timestamp of a number of seconds since 1970-01-01T00:00:00Z.
    pub fn from_unix_seconds(seconds: u64) -> Result<Self> {
        let days = i64::try_from(seconds / 86_400).map_err(|_| Error::InvalidDate)?;
        let (year, month, day) = civil_from_days(days);
        if year > 9999 {
            return Err(Error::InvalidDate);
        }
        let of_day = seconds % 86_400;
        let text = format!(
            "{year:04}{month:02}{day:02}T{:02}{:02}{:02}Z",
            of_day / 3600,
            of_day / 60 % 60,
            of_day % 60
        );
        Self::parse(&text)
    }

    /// The full timestamp.
    pub fn as_str(&self) -> &str {
        // Only ASCII digits, 'T' and 'Z' are ever stored.
        std::str::from_utf8(&self.0).unwrap_or_default()
    }

    /// The `YYYYMMDD` date used in the credential scope.
    pub fn date(&self) -> &str {
        &self.as_str()[..8]
    }
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01, by shifting
/// the year to start in March so that the leap day falls at its end.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let shifted = days + 719_468; // days from 0000-03-01 to 1970-01-01
    let era = shifted.div_euclid(146_097);
    let day_of_era = shifted.rem_euclid(146_097);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_from_march + 2) / 5 + 1;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    // In range by construction: month is 1..=12 and day 1..=31.
    (year, month as u32, day as u32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_valid_and_rejects_invalid_timestamps() {
        assert_eq!(
            AmzDate::parse("20150830T123600Z").unwrap().date(),
            "20150830"
        );
        assert!(AmzDate::parse("20240229T000000Z").is_ok());
        for bad in [
            "",
            "20150830T123600",
            "20150830 123600Z",
            "2015083OT123600Z",
            "20230229T000000Z",
            "21000229T000000Z",
            "20151301T000000Z",
            "20150800T000000Z",
            "20150830T240000Z",
            "20150830T236000Z",
            "20150830T235960Z",
            "2015-08-30T12:36:00Z",
        ] {
            assert_eq!(AmzDate::parse(bad), Err(Error::InvalidDate), "{bad}");
        }
    }

    #[test]
    fn unix_seconds_convert_to_calendar_time() {
        let cases = [
            (0, "19700101T000000Z"),
            (951_782_400, "20000229T000000Z"),
            (1_440_938_160, "20150830T123600Z"),
            (1_709_251_199, "20240229T235959Z"),
            (4_107_542_400, "21000301T000000Z"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(
                AmzDate::from_unix_seconds(seconds).unwrap().as_str(),
                expected
            );
        }
    }
}
