//! Project automation. The binary (`cargo xtask …`) is a thin CLI over these modules:
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
pub mod generate;
pub mod headers;
pub mod netns;
pub mod sources;
pub mod setup;
pub mod testcmd;
