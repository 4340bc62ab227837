//! `cargo xtask gen [--check]` | `cargo xtask validate` | `cargo xtask test` | `cargo xtask test-netns` |
//! `cargo xtask bench [runtime|gen]` | `cargo xtask fuzz [--seconds N] [TARGET…]` |
//! `cargo xtask check-headers` | `cargo xtask check-sources`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;
use xtask::fsutil::Mode;

/// The generator allocates and frees millions of small token and syntax-tree nodes from two
/// threads; glibc's allocator spent over a third of a 10,000-spec run in malloc and free, and
/// slowed as its heap fragmented. mimalloc keeps the pipeline linear (`cargo xtask bench gen`).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR").map(PathBuf::from);
    let cwd = std::env::current_dir().unwrap_or_default();
    let Some(root) = xtask::workspace_root(manifest_dir.as_deref(), &cwd) else {
        eprintln!("xtask: no winsock-ioctl checkout here: run `cargo xtask` inside one");
        return ExitCode::FAILURE;
    };
    let start = Instant::now();
    let result = match args.as_slice() {
        ["gen"] | ["gen", "--check"] => {
            let mode = if args.len() == 2 { Mode::Check } else { Mode::Write };
            match xtask::generate::run(&root, mode) {
                Ok(r) if mode == Mode::Check && !r.is_clean() => Err(format!(
                    "generated files are stale (run `cargo xtask gen` and commit):\n  {}",
                    r.updated.iter().chain(&r.removed).cloned().collect::<Vec<_>>().join("\n  ")
                )),
                Ok(r) => {
                    for p in &r.updated {
                        eprintln!("updated {p}");
                    }
                    for p in &r.removed {
                        eprintln!("removed {p}");
                    }
                    if r.bindgen_skipped {
                        eprintln!("gen: windows-bindgen skipped (its version, its filter and the FFI file are unchanged)");
                    }
                    eprintln!(
                        "gen: {} updated, {} removed, {} unchanged in {:.2?}",
                        r.updated.len(),
                        r.removed.len(),
                        r.unchanged,
                        start.elapsed()
                    );
                    Ok(())
                }
                // Spec diagnostics end with a newline; other failures do not.
                Err(e) => Err(format!("{}\ngen: nothing was written", e.to_string().trim_end())),
            }
        }
        ["validate"] => xtask::headers::load_ir(&root).map(|ir| {
            for w in &ir.warnings {
                eprintln!("warning: {w}");
            }
            println!("{} control codes, {} error codes: valid", ir.codes.len(), ir.catalogue.len())
        }),
        ["test"] => xtask::testcmd::run(&root),
        ["fuzz", rest @ ..] => xtask::fuzz::parse_args(rest, 600)
            .and_then(|(seconds, targets)| xtask::fuzz::run(&root, seconds, &targets, xtask::fuzz::Corpus::Kept))
            .map(|runs| print!("{}", xtask::fuzz::summary(&runs))),
        ["test-netns"] => xtask::testcmd::run_netns(&root),
        ["bench", parts @ ..] => xtask::bench::run(&root, parts),
        ["check-headers"] => xtask::headers::load_ir(&root).and_then(|ir| xtask::headers::check(&ir)).map(|r| {
            println!("{} values, {} layouts agree; not in mingw: {:?}", r.values_checked, r.layouts_checked, r.missing)
        }),
        ["check-sources"] => xtask::testcmd::check_sources(&root).map(|table| print!("{table}")),
        _ => Err("usage: cargo xtask gen [--check] | cargo xtask validate | cargo xtask test | cargo xtask test-netns | cargo xtask bench [runtime|gen] | cargo xtask fuzz [--seconds N] [spec|catalogue|ffi]… | cargo xtask check-headers | cargo xtask check-sources".to_owned()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("{}", e.trim_end());
            ExitCode::FAILURE
        }
    }
}
