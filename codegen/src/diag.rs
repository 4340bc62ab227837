//! Located diagnostics: every problem found in a spec is reported as `file:line:col: message`.

use std::fmt;
use std::ops::Range;

/// One problem found in an input file, with its position.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Path of the input file, as given by the caller.
    pub path: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column, counted in characters.
    pub col: usize,
    /// Short reason, without location.
    pub message: String,
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: {}", self.path, self.line, self.col, self.message)
    }
}

/// All the diagnostics of one run, in input order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl fmt::Display for Diagnostics {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for d in &self.0 {
            writeln!(f, "{d}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostics {}

/// Turns byte offsets of one file into diagnostics.
pub(crate) struct Locator<'a> {
    path: &'a str,
    text: &'a str,
    /// Ranges where the file's rules stay silent (see `crate::read`).
    quiet: Vec<Range<usize>>,
}

impl<'a> Locator<'a> {
    pub(crate) fn new(path: &'a str, text: &'a str) -> Self {
        Self { path, text, quiet: Vec::new() }
    }

    /// Silences the rules in `quiet`, and past the end of the text.
    pub(crate) fn set_quiet(&mut self, quiet: Vec<Range<usize>>) {
        self.quiet = quiet;
    }

    /// Whether a rule failing at `span` is a consequence of a problem reported already.
    pub(crate) fn is_quiet(&self, span: &Range<usize>) -> bool {
        span.start > self.text.len() || self.quiet.iter().any(|q| q.contains(&span.start))
    }

    pub(crate) fn text(&self) -> &'a str {
        self.text
    }

    pub(crate) fn at(&self, span: Range<usize>, message: impl Into<String>) -> Diagnostic {
        let offset = span.start.min(self.text.len());
        let before = &self.text[..floor_char_boundary(self.text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        Diagnostic { path: self.path.to_owned(), line, col, message: message.into() }
    }

    /// A diagnostic for a TOML parse error, which carries its own span (or none, at 1:1).
    pub(crate) fn toml_error(&self, err: &toml::de::Error) -> Diagnostic {
        let span = err.span().unwrap_or(0..0);
        // toml's message is the reason alone; keep its first line, it is the short one.
        let message = err.message().lines().next().unwrap_or("malformed TOML").trim().to_owned();
        self.at(span, with_suggestion(message))
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The candidate closest to `word`, if one is close enough to be what was meant: at most a third
/// of the word's letters differ (one for short words), and no other candidate is as close. Case
/// is ignored; a candidate that differs only in case is always taken.
pub(crate) fn closest<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> Option<&'c str> {
    let word = word.to_lowercase();
    let limit = (word.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    let mut tie = false;
    for c in candidates {
        let d = edit_distance(&word, &c.to_lowercase());
        match best {
            Some((b, _)) if d > b => {}
            Some((b, _)) if d == b => tie = true,
            _ => {
                best = Some((d, c));
                tie = false;
            }
        }
    }
    best.filter(|&(d, _)| d <= limit && !tie).map(|(_, c)| c)
}

/// `"; did you mean `x`?"` when a candidate is close to `word`, else nothing.
pub(crate) fn did_you_mean<'c>(word: &str, candidates: impl IntoIterator<Item = &'c str>) -> String {
    closest(word, candidates).map(|c| format!("; did you mean `{c}`?")).unwrap_or_default()
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (diagonal + usize::from(ca != cb)).min(row[j] + 1).min(row[j + 1] + 1);
            diagonal = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// toml's "unknown field `x`, expected one of `a`, `b`" (or "unknown variant …", or "expected `a`
/// or `b`") with a suggestion in place of the list when one of the names is close.
fn with_suggestion(message: String) -> String {
    let Some((head, expected)) = message.split_once(", expected ") else { return message };
    let Some(word) = ["unknown field `", "unknown variant `"].iter().find_map(|p| head.strip_prefix(p)?.strip_suffix('`')) else {
        return message;
    };
    let names = expected.split('`').skip(1).step_by(2);
    match closest(word, names) {
        Some(c) => format!("{head}; did you mean `{c}`?"),
        None => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_the_one_close_name_and_nothing_when_none_or_two_are() {
        assert_eq!(closest("headers", ["header", "name", "value"]), Some("header"));
        assert_eq!(closest("tcp_unconected", ["udp", "tcp_unconnected", "tcp_connected"]), Some("tcp_unconnected"));
        assert_eq!(closest("WSAEINVALID", ["WSAEINVAL", "WSAENOTSOCK"]), Some("WSAEINVAL"));
        assert_eq!(closest("wsaeinval", ["WSAEINVAL"]), Some("WSAEINVAL"));
        assert_eq!(closest("colour", ["enabled", "mode"]), None);
        assert_eq!(closest("ab", ["ac", "ad"]), None, "two equally close names: no guess");
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(
            with_suggestion("unknown field `nam`, expected one of `kind`, `type`, `name`".into()),
            "unknown field `nam`; did you mean `name`?"
        );
        let far = "unknown field `zzz`, expected `kind` or `type`".to_owned();
        assert_eq!(with_suggestion(far.clone()), far);
    }
}
