//! Support for the test suite: parsers for the error tables that the generator writes into
//! `docs/` and rustdoc (every platform), and socket fixtures for the runtime tests (Windows).

/// One table row: error name, value and meaning.
pub type Row = (String, i32, String);

fn parse_row(line: &str) -> Option<Row> {
    let line = line.trim_start().strip_prefix("///").unwrap_or(line).trim();
    let inner = line.strip_prefix("| `")?.strip_suffix('|')?;
    let (name, rest) = inner.split_once('`')?;
    let rest = rest.trim_start().strip_prefix('|')?;
    let (value, meaning) = rest.split_once('|')?;
    Some((name.to_owned(), value.trim().parse().ok()?, meaning.trim().replace("\\|", "|")))
}

/// The rows of the first error table in a Markdown document.
pub fn markdown_rows(md: &str) -> Vec<Row> {
    tables(md).into_iter().next().unwrap_or_default()
}

/// Every error table in a text (Markdown, or Rust source whose `///` docs hold tables), in order.
pub fn tables(text: &str) -> Vec<Vec<Row>> {
    let mut out: Vec<Vec<Row>> = Vec::new();
    let mut current: Option<Vec<Row>> = None;
    for line in text.lines() {
        match parse_row(line) {
            Some(r) => current.get_or_insert_with(Vec::new).push(r),
            None => out.extend(current.take()),
        }
    }
    out.extend(current);
    out
}

/// Owned rows from a table of `ErrorRow`s, in English or Japanese.
pub fn spec_rows(table: &[winsock_ioctl::ErrorRow], japanese: bool) -> Vec<Row> {
    table.iter().map(|r| (r.name.to_owned(), r.value, (if japanese { r.meaning_ja } else { r.meaning }).to_owned())).collect()
}

#[cfg(windows)]
pub mod churn;
#[cfg(windows)]
pub mod exec;
#[cfg(windows)]
pub mod fixtures;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_parse_from_markdown_and_rustdoc_and_unescape_pipes() {
        let md = "# T\n\n| Error | Value | Meaning |\n|---|---|---|\n| `WSAEINVAL` | 10022 | a \\| b |\n| `WSAENOTSOCK` | 10038 | c |\n\ntext\n";
        let want = vec![("WSAEINVAL".to_owned(), 10022, "a | b".to_owned()), ("WSAENOTSOCK".to_owned(), 10038, "c".to_owned())];
        assert_eq!(markdown_rows(md), want);
        let rs = "/// intro\n/// | `WSAEINVAL` | 10022 | a \\| b |\n/// | `WSAENOTSOCK` | 10038 | c |\npub fn f() {}\n";
        assert_eq!(tables(rs), vec![want]);
    }
}
