//! The TIMESTAMP of PASSWORD_VERIFIER answers: "Fri Nov 6 02:05:07 UTC 2026".
//!
//! This is Java's `EEE MMM d HH:mm:ss z yyyy` in UTC: English names, the day of the
//! month NOT zero-padded, hours, minutes and seconds zero-padded, the year as is.
//! Cognito rejects a claim whose timestamp is not in this form.

use std::time::{SystemTime, UNIX_EPOCH};

const WEEKDAYS: [&str; 7] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// Formats a Unix time (seconds since 1970-01-01T00:00:00Z) the way Cognito wants it.
pub fn format_timestamp(unix_seconds: i64) -> String {
    let days = unix_seconds.div_euclid(86_400);
    let second_of_day = unix_seconds.rem_euclid(86_400);
    let (year, month, day) = civil_from_days(days);
    // 1970-01-01 was a Thursday.
    let weekday = WEEKDAYS[(days + 4).rem_euclid(7) as usize];
    format!(
        "{weekday} {} {day} {:02}:{:02}:{:02} UTC {year}",
        MONTHS[month as usize - 1],
        second_of_day / 3600,
        second_of_day / 60 % 60,
        second_of_day % 60,
    )
}

/// The current time in Cognito's format.
pub fn now_timestamp() -> String {
    let seconds = match SystemTime::now().duration_since(UNIX_EPOCH) {
        Ok(after) => i64::try_from(after.as_secs()).unwrap_or(i64::MAX),
        Err(before) => -i64::try_from(before.duration().as_secs()).unwrap_or(i64::MAX),
    };
    format_timestamp(seconds)
}

/// Proleptic Gregorian (year, month 1-12, day 1-31) of a day count from 1970-01-01.
///
/// Counts in 400-year eras that start on March 1st, so the leap day ends each era's
/// year; this keeps every step plain integer division.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    const DAYS_PER_ERA: i64 = 146_097;
    let shifted = days + 719_468; // days from 0000-03-01
    let era = shifted.div_euclid(DAYS_PER_ERA);
    let day_of_era = shifted.rem_euclid(DAYS_PER_ERA);
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_from_march = (5 * day_of_year + 2) / 153;
    let day = (day_of_year - (153 * month_from_march + 2) / 5 + 1) as u32;
    let month = if month_from_march < 10 {
        month_from_march + 3
    } else {
        month_from_march - 9
    } as u32;
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_known_instants() {
        // Checked with `date -u -d @SECONDS`.
        assert_eq!(format_timestamp(0), "Thu Jan 1 00:00:00 UTC 1970");
        assert_eq!(
            format_timestamp(1_772_355_907),
            "Sun Mar 1 09:05:07 UTC 2026"
        );
        assert_eq!(
            format_timestamp(1_795_658_707),
            "Thu Nov 26 02:05:07 UTC 2026"
        );
        assert_eq!(
            format_timestamp(951_825_600),
            "Tue Feb 29 12:00:00 UTC 2000"
        );
        assert_eq!(
            format_timestamp(4_107_542_399),
            "Sun Feb 28 23:59:59 UTC 2100"
        );
        assert_eq!(format_timestamp(-1), "Wed Dec 31 23:59:59 UTC 1969");
    }

    #[test]
    fn walks_every_day_of_four_centuries_consistently() {
        // Day by day from 1900 to 2300: the date advances by exactly one calendar day.
        let month_lengths = |year: i64| {
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            [
                31,
                if leap { 29 } else { 28 },
                31,
                30,
                31,
                30,
                31,
                31,
                30,
                31,
                30,
                31,
            ]
        };
        let (mut year, mut month, mut day) = civil_from_days(-25_567); // 1900-01-01
        assert_eq!((year, month, day), (1900, 1, 1));
        for days in -25_566..120_000 {
            day += 1;
            if day > month_lengths(year)[month as usize - 1] {
                day = 1;
                month += 1;
                if month > 12 {
                    month = 1;
                    year += 1;
                }
            }
            assert_eq!(civil_from_days(days), (year, month, day), "day {days}");
        }
    }

    #[test]
    fn now_has_the_cognito_shape() {
        let now = now_timestamp();
        let parts: Vec<&str> = now.split(' ').collect();
        assert_eq!(parts.len(), 6, "{now}");
        assert!(
            WEEKDAYS.contains(&parts[0]) && MONTHS.contains(&parts[1]),
            "{now}"
        );
        assert!(!parts[2].starts_with('0'), "{now}");
        assert_eq!(parts[3].len(), 8, "{now}");
        assert_eq!(parts[4], "UTC");
    }
}
