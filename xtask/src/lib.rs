//! Project automation. The binary (`cargo xtask …`) is a thin CLI over these modules:
//! - [`fuzz`]: `cargo xtask fuzz`, the cargo-fuzz targets of `fuzz/` (installs nightly and cargo-fuzz);
//! - [`generate`]: reads `metadata/`, runs the codegen library and windows-bindgen, writes the tree;
//! - [`fsutil`]: write-only-when-changed, used by `generate` in both write and check modes;
//! - [`headers`]: checks specified values and layouts against the mingw-w64 C headers (bindgen);
//! - [`sources`]: checks every value against the three sources (mingw-w64, Microsoft's Win32
//!   metadata, windows-sys) and prints the coverage table;
//! - [`setup`] and [`testcmd`]: `cargo xtask test`;
//! - [`netns`]: runs the notification test in a network namespace of its own;
//! - [`bench`]: `cargo xtask bench`, the performance figures (not part of the test run).

pub mod bench;
pub mod fsutil;
pub mod fuzz;
pub mod generate;
pub mod headers;
pub mod netns;
pub mod setup;
pub mod sources;
pub mod testcmd;

use std::path::{Path, PathBuf};

/// The workspace that a run of xtask works on, found at run time: two checkouts may share one
/// target directory, and so one xtask binary, and each must work on its own tree.
///
/// `manifest_dir` is the `CARGO_MANIFEST_DIR` that `cargo run` (the `cargo xtask` alias) sets for
/// the program it starts: the xtask package of the checkout the command was given in. Without
/// it (the binary started directly), the nearest directory at or above `cwd` that holds
/// `xtask/Cargo.toml` and `metadata/codes`.
pub fn workspace_root(manifest_dir: Option<&Path>, cwd: &Path) -> Option<PathBuf> {
    let is_root = |d: &Path| d.join("xtask/Cargo.toml").is_file() && d.join("metadata/codes").is_dir();
    if let Some(root) = manifest_dir.and_then(Path::parent).filter(|d| is_root(d)) {
        return Some(root.to_path_buf());
    }
    cwd.ancestors().find(|d| is_root(d)).map(Path::to_path_buf)
}

#[cfg(test)]
mod tests {
    use super::workspace_root;
    use std::fs;
    use std::path::Path;

    fn checkout(at: &Path) {
        fs::create_dir_all(at.join("xtask")).unwrap();
        fs::write(at.join("xtask/Cargo.toml"), "[package]\n").unwrap();
        fs::create_dir_all(at.join("metadata/codes")).unwrap();
        fs::create_dir_all(at.join("bindings/deep/er")).unwrap();
    }

    #[test]
    fn the_checkout_cargo_ran_wins_over_the_binary_s_origin_and_the_directory() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        checkout(&a);
        checkout(&b);
        // Run from inside checkout a, by cargo in checkout b: b.
        assert_eq!(workspace_root(Some(&b.join("xtask")), &a.join("bindings/deep/er")), Some(b.clone()));
        // Started directly (no CARGO_MANIFEST_DIR): the checkout around the directory.
        assert_eq!(workspace_root(None, &a.join("bindings/deep/er")), Some(a.clone()));
        // A manifest directory that is not in a checkout is ignored.
        assert_eq!(workspace_root(Some(&dir.path().join("elsewhere/xtask")), &b), Some(b.clone()));
        assert_eq!(workspace_root(None, dir.path()), None);
    }
}
