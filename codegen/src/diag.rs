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
}

impl<'a> Locator<'a> {
    pub(crate) fn new(path: &'a str, text: &'a str) -> Self {
        Self { path, text }
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
        self.at(span, message)
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while i > 0 && !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}
