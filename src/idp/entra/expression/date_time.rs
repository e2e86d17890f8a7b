//! `FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)` (FUNCS
//! FormatDateTime): reads a date with a .NET custom date and time format and writes it with
//! another.
//!
//! Supported specifiers, for reading and writing: `yyyy` `yyy` `yy` `y`, `MMMM` `MMM` `MM`
//! `M`, `dddd` `ddd` `dd` `d`, `HH` `H`, `hh` `h`, `mm` `m`, `ss` `s`, `f`…`fffffff`,
//! `F`…`FFFFFFF`, `tt` `t`, `zzz` `zz` `z`, `K`, `g`, the separators `:` and `/` (invariant
//! culture), `'quoted'` and `"quoted"` literals, `\x` escapes and `%x` single specifiers;
//! every other character is itself. Of .NET's one-letter standard formats, `o`, `O`, `s` and
//! `u` are supported.
//!
//! \[Inf] The provisioning service's local time zone is taken to be UTC: a date read with an
//! offset is converted to UTC, and `zzz` always writes `+00:00`. A date without a date part
//! reads as 0001-01-01 (not today, so results stay deterministic). Month and day names are
//! the invariant culture's (English).

use serde_json::Value;
use time::{Date, Duration, Month, PrimitiveDateTime, Time};

use super::evaluator::{Evaluator, Outcome};
use super::syntax::{Call, Node};
use crate::idp::expression_error::ExpressionError;

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

const DAYS: [&str; 7] = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"];

/// .NET's `DateTimeKind`: what a parsed date and time is relative to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// No zone was read.
    Unspecified,
    /// UTC (`Z`, or adjusted to universal).
    Utc,
    /// The service's local time (UTC here), after converting a read offset.
    Local,
}

/// A date and time with its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    at: PrimitiveDateTime,
    kind: Kind,
}

/// One piece of a custom format.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Piece {
    /// Text to write, or to find in the input.
    Literal(String),
    /// An unquoted `Z`: a literal that, when read, marks the time as UTC. \[Inf] .NET has no
    /// `Z` specifier, but FUNCS's own example format `"yyyyMMddHHmmss.fZ"` uses it so.
    Zulu,
    /// A specifier letter and how many times it repeats (`yyyy` is `('y', 4)`).
    Spec(char, usize),
}

const SPECIFIERS: &str = "dfFghHKmMstyz";

/// Splits a .NET date and time format into pieces.
fn pieces(format: &str) -> Result<Vec<Piece>, String> {
    let expanded = match format {
        "o" | "O" => "yyyy'-'MM'-'dd'T'HH':'mm':'ss'.'fffffffK",
        "s" => "yyyy'-'MM'-'dd'T'HH':'mm':'ss",
        "u" => "yyyy'-'MM'-'dd HH':'mm':'ss'Z'",
        _ if format.chars().count() == 1 && format.chars().all(|c| c.is_ascii_alphabetic()) => {
            return Err(format!(
                "standard format {format:?} is not supported; write a custom format such as \"yyyy-MM-dd\", \
                 or \"%{format}\" for the single specifier"
            ));
        }
        _ => format,
    };
    let chars: Vec<char> = expanded.chars().collect();
    let mut pieces = Vec::new();
    let mut i = 0;
    let literal = |pieces: &mut Vec<Piece>, text: &str| match pieces.last_mut() {
        Some(Piece::Literal(previous)) => previous.push_str(text),
        _ => pieces.push(Piece::Literal(text.to_string())),
    };
    while let Some(&c) = chars.get(i) {
        match c {
            '\'' | '"' => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|&q| q == c)
                    .ok_or_else(|| format!("format {format:?} has an unterminated quoted literal"))?;
                literal(&mut pieces, &chars[i + 1..i + 1 + close].iter().collect::<String>());
                i += close + 2;
            }
            '\\' => {
                let escaped = chars.get(i + 1).ok_or_else(|| format!("format {format:?} ends with a lone \\"))?;
                literal(&mut pieces, &escaped.to_string());
                i += 2;
            }
            '%' => match chars.get(i + 1) {
                Some(&next) if SPECIFIERS.contains(next) => {
                    pieces.push(Piece::Spec(next, 1));
                    i += 2;
                }
                _ => return Err(format!("format {format:?} has \"%\" without a specifier after it")),
            },
            'Z' => {
                pieces.push(Piece::Zulu);
                i += 1;
            }
            _ if SPECIFIERS.contains(c) => {
                let count = chars[i..].iter().take_while(|&&d| d == c).count();
                if matches!(c, 'f' | 'F') && count > 7 {
                    return Err(format!("format {format:?} has more than 7 {c:?} specifiers"));
                }
                pieces.push(Piece::Spec(c, count));
                i += count;
            }
            _ => {
                literal(&mut pieces, &c.to_string());
                i += 1;
            }
        }
    }
    Ok(pieces)
}

/// .NET `DateTimeStyles` flags that change how the source is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
struct Styles {
    leading_white: bool,
    trailing_white: bool,
    inner_white: bool,
    assume_local: bool,
    assume_universal: bool,
    adjust_to_universal: bool,
    roundtrip_kind: bool,
}

impl Styles {
    /// Reads a `dateTimeStyles` argument: names separated by `,` or `|`, with or without the
    /// `DateTimeStyles.` prefix, in any case. Null or empty is FUNCS's default:
    /// RoundtripKind, AllowLeadingWhite, AllowTrailingWhite.
    fn read(text: Option<&str>) -> Result<Self, String> {
        let Some(text) = text.filter(|text| !text.trim().is_empty()) else {
            return Ok(Self { leading_white: true, trailing_white: true, roundtrip_kind: true, ..Self::default() });
        };
        let mut styles = Self::default();
        for name in text.split([',', '|']).map(str::trim) {
            let bare = name.strip_prefix("DateTimeStyles.").unwrap_or(name);
            match bare.to_ascii_lowercase().as_str() {
                "none" | "nocurrentdatedefault" => {}
                "allowleadingwhite" => styles.leading_white = true,
                "allowtrailingwhite" => styles.trailing_white = true,
                "allowinnerwhite" => styles.inner_white = true,
                "allowwhitespaces" => {
                    styles.leading_white = true;
                    styles.trailing_white = true;
                    styles.inner_white = true;
                }
                "assumelocal" => styles.assume_local = true,
                "assumeuniversal" => styles.assume_universal = true,
                "adjusttouniversal" => styles.adjust_to_universal = true,
                "roundtripkind" => styles.roundtrip_kind = true,
                _ => return Err(format!("dateTimeStyles {name:?} is not a DateTimeStyles value")),
            }
        }
        Ok(styles)
    }
}

/// Where the format arguments are: FUNCS's four-argument form, or the older three-argument
/// form without `dateTimeStyles` (\[Inf] still accepted).
fn positions(call: &Call) -> (Option<usize>, usize, usize) {
    if call.args.len() == 4 { (Some(1), 2, 3) } else { (None, 1, 2) }
}

/// Checks constant styles and formats.
pub(crate) fn check(call: &Call) -> Result<(), ExpressionError> {
    let fail = |message: String| ExpressionError::in_function("FormatDateTime", call.column, message);
    let (styles, input, output) = positions(call);
    if let Some(Node::Literal(Value::String(text))) = styles.and_then(|index| call.args.get(index)) {
        Styles::read(Some(text)).map_err(fail)?;
    }
    for index in [input, output] {
        match call.args.get(index) {
            Some(Node::Literal(Value::String(format))) => {
                pieces(format).map_err(fail)?;
            }
            Some(Node::Omitted) => {
                let name = if index == input { "inputFormat" } else { "outputFormat" };
                return Err(fail(format!("{name} is required")));
            }
            _ => {}
        }
    }
    Ok(())
}

/// `FormatDateTime(source, dateTimeStyles, inputFormat, outputFormat)` (FUNCS
/// FormatDateTime). \[Inf] A null or empty source gives null; a source that does not match the
/// input format is an error.
pub(crate) fn format_date_time(ev: &Evaluator<'_>, call: &Call) -> Outcome {
    let (styles_at, input_at, output_at) = positions(call);
    let source = ev.text_arg(call, 0, "source")?;
    let styles = match styles_at {
        Some(index) => ev.text_arg(call, index, "dateTimeStyles")?,
        None => None,
    };
    let styles = Styles::read(styles.as_deref()).map_err(|message| call.fail(message))?;
    let input_format = ev.text_arg(call, input_at, "inputFormat")?.unwrap_or_default();
    let output_format = ev.text_arg(call, output_at, "outputFormat")?.unwrap_or_default();
    let Some(source) = source.filter(|source| !source.is_empty()) else {
        return Ok(Value::Null);
    };
    let input_pieces = pieces(&input_format).map_err(|message| call.fail(message))?;
    let output_pieces = pieces(&output_format).map_err(|message| call.fail(message))?;
    let stamp = read(&source, &input_pieces, styles)
        .map_err(|why| call.fail(format!("source {source:?} does not match inputFormat {input_format:?}: {why}")))?;
    write(stamp, &output_pieces).map(Value::String).map_err(|message| call.fail(message))
}

/// The fields read from an input.
#[derive(Debug, Default)]
struct Fields {
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
    hour: Option<u8>,
    hour12: Option<u8>,
    pm: Option<bool>,
    minute: Option<u8>,
    second: Option<u8>,
    nanosecond: u32,
    offset_seconds: Option<i64>,
    utc: bool,
}

/// A cursor over the input.
struct Input {
    chars: Vec<char>,
    at: usize,
}

impl Input {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_whitespace(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// Between `min` and `max` digits, as a number.
    fn digits(&mut self, min: usize, max: usize, what: &str) -> Result<u32, String> {
        let count = self.chars[self.at..].iter().take(max).take_while(|c| c.is_ascii_digit()).count();
        if count < min {
            return Err(format!("expected {what} at character {}", self.at + 1));
        }
        let text: String = self.chars[self.at..self.at + count].iter().collect();
        self.at += count;
        text.parse::<u32>().map_err(|_| format!("{what} {text} is out of range"))
    }

    /// One of `words` (case-insensitive), as its index.
    fn word(&mut self, words: &[&str], what: &str) -> Result<usize, String> {
        let rest: String = self.chars[self.at..].iter().collect::<String>().to_lowercase();
        let (index, word) = words
            .iter()
            .enumerate()
            .filter(|(_, word)| rest.starts_with(&word.to_lowercase()))
            .max_by_key(|(_, word)| word.len())
            .ok_or_else(|| format!("expected {what} at character {}", self.at + 1))?;
        self.at += word.chars().count();
        Ok(index)
    }

    /// `text`, exactly.
    fn literal(&mut self, text: &str, inner_white: bool) -> Result<(), String> {
        for expected in text.chars() {
            if inner_white {
                self.skip_whitespace();
                if expected.is_whitespace() {
                    continue;
                }
            }
            if self.peek() != Some(expected) {
                return Err(format!("expected {expected:?} at character {}", self.at + 1));
            }
            self.at += 1;
        }
        Ok(())
    }

    /// `+hh:mm`, `+hhmm`, `+hh` or `+h` (as `count` allows), in seconds east of UTC.
    fn offset(&mut self, count: usize) -> Result<i64, String> {
        let sign = match self.peek() {
            Some('+') => 1,
            Some('-') => -1,
            _ => return Err(format!("expected a UTC offset at character {}", self.at + 1)),
        };
        self.at += 1;
        let hours = self.digits(if count == 1 { 1 } else { 2 }, 2, "offset hours")?;
        let mut minutes = 0;
        if count >= 3 {
            if self.peek() == Some(':') {
                self.at += 1;
            }
            minutes = self.digits(2, 2, "offset minutes")?;
        }
        if hours > 14 || minutes > 59 {
            return Err(format!("UTC offset {hours:02}:{minutes:02} is out of range"));
        }
        Ok(sign * i64::from(hours * 3600 + minutes * 60))
    }
}

/// Two-digit years, as .NET's Gregorian calendar reads them (TwoDigitYearMax 2049).
fn four_digit_year(two: u32) -> i32 {
    let two = i32::try_from(two).unwrap_or(0);
    if two < 50 { 2000 + two } else { 1900 + two }
}

fn narrow(value: u32, what: &str) -> Result<u8, String> {
    u8::try_from(value).map_err(|_| format!("{what} {value} is out of range"))
}

/// Reads `source` with a parsed format (.NET `DateTime.ParseExact`).
fn read(source: &str, pieces: &[Piece], styles: Styles) -> Result<Stamp, String> {
    let mut input = Input { chars: source.chars().collect(), at: 0 };
    if styles.leading_white {
        input.skip_whitespace();
    }
    let mut fields = Fields::default();
    let mut skip_fraction = false;
    for (index, piece) in pieces.iter().enumerate() {
        if std::mem::take(&mut skip_fraction) {
            continue;
        }
        if styles.inner_white && !matches!(piece, Piece::Literal(_)) {
            input.skip_whitespace();
        }
        match piece {
            // As .NET, a "." before F specifiers may be missing along with the fraction.
            Piece::Literal(text)
                if text.ends_with('.')
                    && matches!(pieces.get(index + 1), Some(Piece::Spec('F', _)))
                    && !input.chars[input.at..].starts_with(&text.chars().collect::<Vec<_>>()) =>
            {
                input.literal(&text[..text.len() - 1], styles.inner_white)?;
                skip_fraction = true;
            }
            Piece::Literal(text) => input.literal(text, styles.inner_white)?,
            Piece::Zulu => {
                input.literal("Z", false)?;
                fields.utc = true;
            }
            Piece::Spec(c, n) => read_spec(&mut input, &mut fields, *c, *n)?,
        }
    }
    if styles.trailing_white || styles.inner_white {
        input.skip_whitespace();
    }
    if input.at < input.chars.len() {
        return Err(format!("unexpected text at character {}", input.at + 1));
    }
    build(&fields, styles)
}

fn read_spec(input: &mut Input, fields: &mut Fields, c: char, n: usize) -> Result<(), String> {
    let (min, max) = if n == 1 { (1, 2) } else { (2, 2) };
    match c {
        'y' => {
            fields.year = Some(match n {
                1 | 2 => four_digit_year(input.digits(min, max, "year")?),
                3 => i32::try_from(input.digits(3, 4, "year")?).unwrap_or(0),
                _ => i32::try_from(input.digits(n, n, "year")?).unwrap_or(0),
            });
        }
        'M' if n >= 3 => {
            let index = if n == 3 {
                input.word(&MONTHS.map(|m| &m[..3]), "a month name")?
            } else {
                input.word(&MONTHS, "a month name")?
            };
            fields.month = narrow(u32::try_from(index + 1).unwrap_or(0), "month").ok();
        }
        'M' => fields.month = Some(narrow(input.digits(min, max, "month")?, "month")?),
        'd' if n >= 3 => {
            // The day name is read and not checked against the date, as .NET does.
            if n == 3 {
                input.word(&DAYS.map(|d| &d[..3]), "a day name")?;
            } else {
                input.word(&DAYS, "a day name")?;
            }
        }
        'd' => fields.day = Some(narrow(input.digits(min, max, "day")?, "day")?),
        'H' => fields.hour = Some(narrow(input.digits(min, max, "hour")?, "hour")?),
        'h' => fields.hour12 = Some(narrow(input.digits(min, max, "hour")?, "hour")?),
        'm' => fields.minute = Some(narrow(input.digits(min, max, "minute")?, "minute")?),
        's' => fields.second = Some(narrow(input.digits(min, max, "second")?, "second")?),
        'f' | 'F' => {
            let least = if c == 'f' { n } else { 0 };
            let start = input.at;
            let value = if input.peek().is_some_and(|d| d.is_ascii_digit()) || least > 0 {
                input.digits(least.max(1), n, "fraction")?
            } else {
                0
            };
            let read = u32::try_from(input.at - start).unwrap_or(0);
            fields.nanosecond = value * 10u32.pow(9 - read.min(9));
        }
        't' => {
            let index =
                if n == 1 { input.word(&["A", "P"], "A or P")? } else { input.word(&["AM", "PM"], "AM or PM")? };
            fields.pm = Some(index == 1);
        }
        'z' => fields.offset_seconds = Some(input.offset(n)?),
        'K' => match input.peek() {
            Some('Z') => {
                input.at += 1;
                fields.utc = true;
            }
            Some('+' | '-') => fields.offset_seconds = Some(input.offset(3)?),
            _ => {}
        },
        'g' => {
            let _ = input.word(&["A.D.", "AD"], "an era");
        }
        _ => return Err(format!("unsupported specifier {c:?}")),
    }
    Ok(())
}

/// The date and time the fields describe, with its kind.
fn build(fields: &Fields, styles: Styles) -> Result<Stamp, String> {
    let year = fields.year.unwrap_or(1);
    if !(1..=9999).contains(&year) {
        return Err(format!("year {year} is out of range"));
    }
    let month = Month::try_from(fields.month.unwrap_or(1)).map_err(|_| "month is out of range".to_string())?;
    let day = fields.day.unwrap_or(1);
    let date = Date::from_calendar_date(year, month, day)
        .map_err(|_| format!("{year:04}-{:02}-{day:02} is not a date", u8::from(month)))?;
    let hour = match (fields.hour12, fields.pm) {
        (Some(h), _) if h == 0 || h > 12 => return Err(format!("hour {h} is out of range for a 12-hour clock")),
        (Some(h), Some(true)) => h % 12 + 12,
        (Some(h), _) => h % 12,
        (None, pm) => {
            let h = fields.hour.unwrap_or(0);
            if pm == Some(true) && h < 12 { h + 12 } else { h }
        }
    };
    let time = Time::from_hms_nano(hour, fields.minute.unwrap_or(0), fields.second.unwrap_or(0), fields.nanosecond)
        .map_err(|_| "the time of day is out of range".to_string())?;
    let mut at = PrimitiveDateTime::new(date, time);
    let kind = if let Some(offset) = fields.offset_seconds {
        at = at.checked_sub(Duration::seconds(offset)).ok_or_else(|| "the date is out of range".to_string())?;
        if styles.adjust_to_universal { Kind::Utc } else { Kind::Local }
    } else if fields.utc {
        if styles.adjust_to_universal || styles.roundtrip_kind { Kind::Utc } else { Kind::Local }
    } else if styles.adjust_to_universal || (styles.assume_universal && styles.roundtrip_kind) {
        Kind::Utc
    } else if styles.assume_universal || styles.assume_local {
        Kind::Local
    } else {
        Kind::Unspecified
    };
    Ok(Stamp { at, kind })
}

/// Writes a date and time with a parsed format (.NET `DateTime.ToString(format)`).
fn write(stamp: Stamp, pieces: &[Piece]) -> Result<String, String> {
    let at = stamp.at;
    let mut out = String::new();
    for piece in pieces {
        match piece {
            Piece::Literal(text) => out.push_str(text),
            Piece::Zulu => out.push('Z'),
            Piece::Spec(c, n) => {
                let n = *n;
                let hour12 = match at.hour() % 12 {
                    0 => 12,
                    h => h,
                };
                let pad = |value: u32, width: usize| format!("{value:0width$}");
                let fraction = |digits: usize| {
                    let divisor = 10u32.pow(9 - u32::try_from(digits).unwrap_or(9));
                    pad(at.nanosecond() / divisor, digits)
                };
                match c {
                    'y' => {
                        let year = u32::try_from(at.year()).unwrap_or(0);
                        out.push_str(&match n {
                            1 => (year % 100).to_string(),
                            2 => pad(year % 100, 2),
                            _ => pad(year, n),
                        });
                    }
                    'M' => {
                        let month = u8::from(at.month());
                        let name = MONTHS[usize::from(month - 1)];
                        out.push_str(&match n {
                            1 => month.to_string(),
                            2 => pad(month.into(), 2),
                            3 => name[..3].to_string(),
                            _ => name.to_string(),
                        });
                    }
                    'd' => {
                        let name = DAYS[usize::from(at.weekday().number_days_from_sunday())];
                        out.push_str(&match n {
                            1 => at.day().to_string(),
                            2 => pad(at.day().into(), 2),
                            3 => name[..3].to_string(),
                            _ => name.to_string(),
                        });
                    }
                    'H' => out.push_str(&if n == 1 { at.hour().to_string() } else { pad(at.hour().into(), 2) }),
                    'h' => out.push_str(&if n == 1 { hour12.to_string() } else { pad(hour12.into(), 2) }),
                    'm' => out.push_str(&if n == 1 { at.minute().to_string() } else { pad(at.minute().into(), 2) }),
                    's' => out.push_str(&if n == 1 { at.second().to_string() } else { pad(at.second().into(), 2) }),
                    'f' => out.push_str(&fraction(n)),
                    'F' => {
                        let digits = fraction(n);
                        let trimmed = digits.trim_end_matches('0');
                        if trimmed.is_empty() {
                            // .NET drops the decimal point before an all-zero F fraction.
                            if out.ends_with('.') {
                                out.pop();
                            }
                        } else {
                            out.push_str(trimmed);
                        }
                    }
                    't' => {
                        let designator = if at.hour() < 12 { "AM" } else { "PM" };
                        out.push_str(if n == 1 { &designator[..1] } else { designator });
                    }
                    'z' => out.push_str(match n {
                        1 => "+0",
                        2 => "+00",
                        _ => "+00:00",
                    }),
                    'K' => out.push_str(match stamp.kind {
                        Kind::Utc => "Z",
                        Kind::Local => "+00:00",
                        Kind::Unspecified => "",
                    }),
                    'g' => out.push_str("A.D."),
                    other => return Err(format!("unsupported specifier {other:?}")),
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::idp::entra::expression::test_source::{failure, parse_error, value};

    fn convert(source: &str, input: &str, output: &str) -> Result<String, String> {
        let stamp = read(source, &pieces(input)?, Styles::read(None)?)?;
        write(stamp, &pieces(output)?)
    }

    #[test]
    fn reference_example() {
        // FUNCS FormatDateTime: "20150123105347.1Z" with "yyyyMMddHHmmss.fZ" to "yyyy-MM-dd".
        let text = r#"FormatDateTime([extensionAttribute1], , "yyyyMMddHHmmss.fZ", "yyyy-MM-dd")"#;
        assert_eq!(value(text, json!({"extensionAttribute1": "20150123105347.1Z"})), json!("2015-01-23"));
        assert_eq!(value(text, json!({})), json!(null));
        assert_eq!(value(text, json!({"extensionAttribute1": ""})), json!(null));
    }

    #[test]
    fn num_from_date_examples_inner_format_date_time() {
        // FUNCS NumFromDate: the FormatDateTime calls inside its Workday and SuccessFactors examples.
        let workday =
            r#"Join("", FormatDateTime([ContractEndDate], ,"yyyy-MM-ddzzz", "yyyy-MM-dd"), " 23:59:59-08:00")"#;
        assert_eq!(value(workday, json!({"ContractEndDate": "2020-12-31-08:00"})), json!("2020-12-31 23:59:59-08:00"));
        let success_factors = r#"FormatDateTime([endDate], ,"M/d/yyyy hh:mm:ss tt","yyyy-MM-dd")"#;
        assert_eq!(value(success_factors, json!({"endDate": "3/7/2021 09:05:00 PM"})), json!("2021-03-07"));
    }

    #[test]
    fn every_specifier_written() {
        let source = "2009-06-15T13:45:30.6175425Z";
        let input = "yyyy-MM-ddTHH:mm:ss.fffffffK";
        assert_eq!(convert(source, input, "yyyy yy y MM M dd d").unwrap(), "2009 09 9 06 6 15 15");
        assert_eq!(convert(source, input, "HH H hh h mm m ss s tt t").unwrap(), "13 13 01 1 45 45 30 30 PM P");
        assert_eq!(
            convert(source, input, "f ff fff ffff fffff ffffff fffffff").unwrap(),
            "6 61 617 6175 61754 617542 6175425"
        );
        assert_eq!(convert(source, input, "MMM MMMM ddd dddd").unwrap(), "Jun June Mon Monday");
        assert_eq!(convert(source, input, "K zzz zz z").unwrap(), "Z +00:00 +00 +0");
        assert_eq!(convert(source, input, "'yyyy' \"MM\" \\d %d").unwrap(), "yyyy MM d 15");
        assert_eq!(convert(source, input, "o").unwrap(), "2009-06-15T13:45:30.6175425Z");
        assert_eq!(convert(source, input, "s").unwrap(), "2009-06-15T13:45:30");
        assert_eq!(convert(source, input, "u").unwrap(), "2009-06-15 13:45:30Z");
        assert_eq!(convert(source, input, "g").unwrap_err(), pieces("g").unwrap_err());
    }

    #[test]
    fn f_upper_trims_zeros_and_the_point() {
        assert_eq!(convert("2020-01-02 03:04:05.5", "yyyy-MM-dd HH:mm:ss.F", "ss.FFF").unwrap(), "05.5");
        assert_eq!(convert("2020-01-02 03:04:05", "yyyy-MM-dd HH:mm:ss.FFF", "ss.FFF").unwrap(), "05");
        assert_eq!(convert("2020-01-02 03:04:05", "yyyy-MM-dd HH:mm:ss", "ss.fff").unwrap(), "05.000");
    }

    #[test]
    fn offsets_convert_to_utc() {
        assert_eq!(
            convert("2009-06-15T01:45:30-07:00", "yyyy-MM-ddTHH:mm:sszzz", "yyyy-MM-dd HH:mm K").unwrap(),
            "2009-06-15 08:45 +00:00"
        );
        assert_eq!(convert("2021-06-30+08:00", "yyyy-MM-ddK", "M/d/yyyy h:mm:ss tt").unwrap(), "6/29/2021 4:00:00 PM");
        assert_eq!(convert("20200101", "yyyyMMdd", "yyyy-MM-ddK").unwrap(), "2020-01-01");
        assert_eq!(convert("12 AM 1/2/99", "hh tt M/d/yy", "yyyy-MM-dd HH").unwrap(), "1999-01-02 00");
        assert_eq!(convert("12 PM 1/2/49", "h tt M/d/yy", "yyyy-MM-dd HH").unwrap(), "2049-01-02 12");
        assert_eq!(convert("15 March 2021", "d MMMM yyyy", "yyyy-MM-dd").unwrap(), "2021-03-15");
        assert_eq!(convert("Mon, 15 Mar 2021", "ddd, dd MMM yyyy", "yyyy-MM-dd").unwrap(), "2021-03-15");
        assert_eq!(convert("  2021-03-15 ", "yyyy-MM-dd", "yyyy").unwrap(), "2021");
        assert_eq!(convert("10:30", "HH:mm", "yyyy-MM-dd HH:mm").unwrap(), "0001-01-01 10:30");
    }

    #[test]
    fn styles() {
        let text = r#"FormatDateTime([d], "AdjustToUniversal", "yyyy-MM-dd HH:mmzzz", "yyyy-MM-ddTHH:mmK")"#;
        assert_eq!(value(text, json!({"d": "2021-03-15 23:30+02:00"})), json!("2021-03-15T21:30Z"));
        let text = r#"FormatDateTime([d], "None", "yyyy-MM-dd", "yyyy")"#;
        assert_eq!(
            failure(text, json!({"d": " 2021-03-15"})),
            "FormatDateTime: source \" 2021-03-15\" does not match inputFormat \"yyyy-MM-dd\": expected year at character 1 (column 1)"
        );
        let text =
            r#"FormatDateTime([d], "DateTimeStyles.AllowWhiteSpaces|AssumeUniversal", "yyyy-MM-dd", "yyyy-MM-ddK")"#;
        assert_eq!(value(text, json!({"d": " 2021 -03- 15 "})), json!("2021-03-15+00:00"));
        assert_eq!(
            parse_error(r#"FormatDateTime([d], "Sometimes", "yyyy", "yyyy")"#).message,
            "dateTimeStyles \"Sometimes\" is not a DateTimeStyles value"
        );
    }

    #[test]
    fn three_argument_form() {
        let text = r#"FormatDateTime([d], "yyyyMMdd", "dd/MM/yyyy")"#;
        assert_eq!(value(text, json!({"d": "20240229"})), json!("29/02/2024"));
    }

    #[test]
    fn errors() {
        let text = r#"FormatDateTime([d], , "yyyy-MM-dd", "yyyy")"#;
        assert_eq!(
            failure(text, json!({"d": "2021-02-30"})),
            "FormatDateTime: source \"2021-02-30\" does not match inputFormat \"yyyy-MM-dd\": 2021-02-30 is not a date (column 1)"
        );
        assert_eq!(
            failure(text, json!({"d": "2021-02-03x"})),
            "FormatDateTime: source \"2021-02-03x\" does not match inputFormat \"yyyy-MM-dd\": unexpected text at character 11 (column 1)"
        );
        assert_eq!(
            failure(text, json!({"d": "21-02-03"})),
            "FormatDateTime: source \"21-02-03\" does not match inputFormat \"yyyy-MM-dd\": expected year at character 1 (column 1)"
        );
        assert_eq!(convert("13 PM", "hh tt", "HH").unwrap_err(), "hour 13 is out of range for a 12-hour clock");
        assert_eq!(convert("25", "HH", "HH").unwrap_err(), "the time of day is out of range");
        assert_eq!(convert("0000", "yyyy", "yyyy").unwrap_err(), "year 0 is out of range");
        assert_eq!(convert("+15:00", "zzz", "yyyy").unwrap_err(), "UTC offset 15:00 is out of range");
        let err = parse_error(r#"FormatDateTime([d], , "yyyy-MM-dd", "d")"#);
        assert_eq!(
            err.message,
            "standard format \"d\" is not supported; write a custom format such as \"yyyy-MM-dd\", or \"%d\" for the single specifier"
        );
        assert_eq!(
            parse_error(r#"FormatDateTime([d], , "yyyy'-MM", "yyyy")"#).message,
            "format \"yyyy'-MM\" has an unterminated quoted literal"
        );
        assert_eq!(
            parse_error(r#"FormatDateTime([d], , "ffffffff", "yyyy")"#).message,
            "format \"ffffffff\" has more than 7 'f' specifiers"
        );
        assert_eq!(parse_error(r#"FormatDateTime([d], , , "yyyy")"#).message, "inputFormat is required");
    }
}
