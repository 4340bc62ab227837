//! The real inputs, embedded at build time, and the specs a spec cannot load without.

use std::collections::BTreeMap;
use std::sync::OnceLock;
use winsock_ioctl_codegen::Source;

/// `metadata/errors.toml`.
pub const CATALOGUE: Source<'static> = Source { path: "metadata/errors.toml", text: include_str!("../../../metadata/errors.toml") };

/// `metadata/ffi.toml`.
pub const FFI: Source<'static> = Source { path: "metadata/ffi.toml", text: include_str!("../../../metadata/ffi.toml") };

/// Every spec of `metadata/codes/`, sorted by path (as `cargo xtask gen` passes them).
pub static CODES: &[Source<'static>] = include!(concat!(env!("OUT_DIR"), "/codes.rs"));

/// A spec's file stem: `metadata/codes/FIONBIO.toml` → `FIONBIO`.
pub fn stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".toml").unwrap_or(name)
}

/// Where a spec with this text belongs: `metadata/codes/<name>.toml` after its first
/// `name = "…"` line (a spec must sit in the file its name says), or `metadata/codes/SIO_FUZZ.toml`
/// when there is no such line with a plain identifier in it.
pub fn spec_path(text: &str) -> String {
    let name = text.lines().find_map(|l| {
        let value = l.trim_start().strip_prefix("name")?.trim_start().strip_prefix('=')?.trim();
        let name = value.strip_prefix('"')?.strip_suffix('"')?;
        (!name.is_empty() && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')).then_some(name)
    });
    format!("metadata/codes/{}.toml", name.unwrap_or("SIO_FUZZ"))
}

/// The real specs a spec with this text refers to (in `related`, `[stream]`,
/// `shares_value_with`, …), and those they refer to, transitively, except the spec that `stem`
/// stands for: loaded with them, a valid spec is accepted on its own. Any quoted code name
/// counts, so that a mutated spec still finds them.
pub fn companions(text: &str, stem: &str) -> Vec<Source<'static>> {
    let refs = references();
    let mut picked = vec![false; CODES.len()];
    let mut todo: Vec<usize> = named_in(text).filter(|&i| self::stem(CODES[i].path) != stem).collect();
    while let Some(i) = todo.pop() {
        if !std::mem::replace(&mut picked[i], true) {
            todo.extend(refs[i].iter().copied().filter(|&j| self::stem(CODES[j].path) != stem));
        }
    }
    CODES.iter().zip(picked).filter_map(|(s, p)| p.then_some(*s)).collect()
}

/// The indices into [`CODES`] of the code names quoted in `text`.
fn named_in(text: &str) -> impl Iterator<Item = usize> + '_ {
    static BY_STEM: OnceLock<BTreeMap<&'static str, usize>> = OnceLock::new();
    let by_stem = BY_STEM.get_or_init(|| CODES.iter().enumerate().map(|(i, s)| (stem(s.path), i)).collect());
    text.split('"').skip(1).step_by(2).filter_map(|quoted| by_stem.get(quoted).copied())
}

/// For each of [`CODES`], the others it names.
fn references() -> &'static [Vec<usize>] {
    static REFS: OnceLock<Vec<Vec<usize>>> = OnceLock::new();
    REFS.get_or_init(|| CODES.iter().enumerate().map(|(i, s)| named_in(s.text).filter(|&j| j != i).collect()).collect())
}

/// The specs loaded with a mutated `errors.toml` or `ffi.toml`: one per buffer shape that
/// reaches those files (a struct input, a selected output, a GUID-selected function pointer,
/// an array, an enum input, an address list, a notification with its stream), with their
/// companions.
pub fn table_companions() -> &'static [Source<'static>] {
    const PICKED: [&str; 7] = [
        "SIO_KEEPALIVE_VALS",
        "SIO_TCP_INFO",
        "SIO_GET_EXTENSION_FUNCTION_POINTER",
        "SIO_GET_INTERFACE_LIST",
        "SIO_SET_COMPATIBILITY_MODE",
        "SIO_ADDRESS_LIST_CHANGE",
        "SIO_ACQUIRE_PORT_RESERVATION",
    ];
    static SET: OnceLock<Vec<Source<'static>>> = OnceLock::new();
    SET.get_or_init(|| {
        let quoted: String = PICKED.iter().map(|n| format!("\"{n}\" ")).collect();
        companions(&quoted, "")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spec_belongs_in_the_file_its_name_says() {
        assert_eq!(spec_path("# x\nname = \"FIONBIO\"\nvalue = 1\n"), "metadata/codes/FIONBIO.toml");
        assert_eq!(spec_path("name=\"SIO_X\""), "metadata/codes/SIO_X.toml");
        assert_eq!(spec_path("name = \"../x\"\n"), "metadata/codes/SIO_FUZZ.toml");
        assert_eq!(spec_path("value = 1\n"), "metadata/codes/SIO_FUZZ.toml");
    }

    #[test]
    fn companions_follow_references_transitively_but_not_back_to_the_spec() {
        let stems = |v: Vec<Source<'static>>| v.iter().map(|s| stem(s.path).to_owned()).collect::<Vec<_>>();
        let change = CODES.iter().find(|s| s.path.ends_with("/SIO_ADDRESS_LIST_CHANGE.toml")).unwrap();
        let got = stems(companions(change.text, "SIO_ADDRESS_LIST_CHANGE"));
        assert!(got.contains(&"SIO_ADDRESS_LIST_QUERY".to_owned()), "{got:?}");
        assert!(!got.contains(&"SIO_ADDRESS_LIST_CHANGE".to_owned()), "{got:?}");
        assert!(stems(companions("related = []", "X")).is_empty());
        // The set loaded with a mutated errors.toml or ffi.toml is complete: unmutated, it loads.
        assert!(table_companions().len() >= 7);
        assert!(matches!(crate::check(CATALOGUE, FFI, table_companions()), Ok(crate::Outcome::Accepted(_))));
    }
}
