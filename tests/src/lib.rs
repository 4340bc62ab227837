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

/// The catalogue of Winsock errors, for the names, values and variants of the tables.
const CATALOGUE: &str = include_str!("../../metadata/errors.toml");

#[derive(serde::Deserialize)]
struct Catalogue {
    error: Vec<CatalogueEntry>,
}

#[derive(serde::Deserialize)]
struct CatalogueEntry {
    name: String,
    value: i32,
    variant: String,
}

#[derive(serde::Deserialize)]
struct Spec {
    name: String,
    #[serde(default)]
    errors: Vec<SpecError>,
}

#[derive(serde::Deserialize)]
struct SpecError {
    name: String,
    en: String,
    ja: String,
}

/// Checks a control code's error type against its spec file, read here with the toml crate and
/// not through the generator: `E::TABLE` has the spec's rows in order (name, the catalogue's
/// value, both texts); each value becomes the catalogue's variant for that name, which gives the
/// value back, except `WSA_IO_PENDING`, which no wrapper returns and which has no variant; a
/// catalogue value outside the table becomes `Unlisted` with the value kept; a length error
/// carries no OS code and is `InvalidData`. Each of them converts into an `io::Error` as
/// [`io_error_keeps`] checks.
pub fn check_table<E: winsock_ioctl::ControlCodeError + std::error::Error + Send + Sync + Into<std::io::Error>>(spec_toml: &str) {
    let spec: Spec = toml::from_str(spec_toml).expect("the spec parses");
    let catalogue: Catalogue = toml::from_str(CATALOGUE).expect("the catalogue parses");
    let entry = |name: &str| catalogue.error.iter().find(|e| e.name == name).unwrap_or_else(|| panic!("{name} is in the catalogue"));
    assert_eq!(E::NAME, spec.name);
    assert_eq!(E::TABLE.len(), spec.errors.len(), "row count of {}", spec.name);
    for (row, want) in E::TABLE.iter().zip(&spec.errors) {
        let e = entry(&want.name);
        assert_eq!((row.name, row.value, row.meaning, row.meaning_ja), (want.name.as_str(), e.value, want.en.as_str(), want.ja.as_str()));
        let typed = E::from_raw_os_error(e.value);
        let variant = if e.name == "WSA_IO_PENDING" { format!("Unlisted({})", e.value) } else { e.variant.clone() };
        assert_eq!(format!("{typed:?}"), variant, "{} maps to its own variant", e.name);
        assert_eq!(typed.raw_os_error(), Some(e.value));
        io_error_keeps(typed, e.value);
        assert!(typed.to_string().contains(&format!("{} ({})", e.name, e.value)), "{typed} names {}", e.name);
    }
    let outside =
        catalogue.error.iter().map(|e| e.value).find(|v| !E::TABLE.iter().any(|r| r.value == *v)).expect("a value outside the table");
    let unlisted = E::from_raw_os_error(outside);
    assert_eq!(format!("{unlisted:?}"), format!("Unlisted({outside})"));
    io_error_keeps(unlisted, outside);
    let short = E::unexpected_length(4, 2);
    assert_eq!(short.raw_os_error(), None);
    let io: std::io::Error = short.into();
    assert_eq!(io.kind(), std::io::ErrorKind::InvalidData);
    assert_eq!(winsock_ioctl::raw_os_error(&io), None);
}

/// `io::Error::from(e)`, for an error `e` with the Winsock code `value`, keeps what users read:
/// the kind std gives that code, `e`'s message (which names the control code), `e` itself for
/// `downcast_ref`, and the code through [`winsock_ioctl::raw_os_error`].
pub fn io_error_keeps<E: winsock_ioctl::ControlCodeError + std::error::Error + Send + Sync + Into<std::io::Error>>(e: E, value: i32) {
    let io: std::io::Error = e.into();
    assert_eq!(winsock_ioctl::raw_os_error(&io), Some(value), "{} {e:?} survives io::Error", E::NAME);
    assert_eq!(io.kind(), std::io::Error::from_raw_os_error(value).kind(), "{e:?}: the kind of {value}");
    assert_eq!(io.to_string(), e.to_string());
    assert!(io.to_string().starts_with(E::NAME), "{io}");
    let inner = io.get_ref().and_then(|inner| inner.downcast_ref::<E>()).map(|inner| format!("{inner:?}"));
    assert_eq!(inner, Some(format!("{e:?}")), "the typed error is inside");
}

#[cfg(windows)]
pub mod churn;
#[cfg(windows)]
pub mod exec;
#[cfg(windows)]
pub mod fixtures;
#[cfg(windows)]
pub mod host;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_parse_from_markdown_and_rustdoc_and_unescape_pipes() {
        let md =
            "# T\n\n| Error | Value | Meaning |\n|---|---|---|\n| `WSAEINVAL` | 10022 | a \\| b |\n| `WSAENOTSOCK` | 10038 | c |\n\ntext\n";
        let want = vec![("WSAEINVAL".to_owned(), 10022, "a | b".to_owned()), ("WSAENOTSOCK".to_owned(), 10038, "c".to_owned())];
        assert_eq!(markdown_rows(md), want);
        let rs = "/// intro\n/// | `WSAEINVAL` | 10022 | a \\| b |\n/// | `WSAENOTSOCK` | 10038 | c |\npub fn f() {}\n";
        assert_eq!(tables(rs), vec![want]);
    }
}
