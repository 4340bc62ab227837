//! The JSON Schemas of `metadata/` against the files they describe, checked with an independent
//! validator (the `jsonschema` crate; TOML read with the toml crate and handed over as JSON):
//! every file under `metadata/` is valid against the checked-in schema that `.taplo.toml` gives
//! it, a schema rejects the mistakes the generator rejects for the same reason, every golden case
//! the generator accepts is valid and every one its reader rejects is not, and the spec-format
//! reference describes every key.

use serde_json::Value;
use std::fs;
use std::path::{Path, PathBuf};
use winsock_ioctl_codegen::schema::{self, FILES, SchemaFile};
use winsock_ioctl_codegen::{Source, load};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The checked-in schema, compiled; also checked against the draft 7 meta-schema.
fn validator(f: &SchemaFile) -> jsonschema::Validator {
    let text = fs::read_to_string(root().join(f.path)).unwrap_or_else(|e| panic!("{}: {e}", f.path));
    let json: Value = serde_json::from_str(&text).unwrap();
    jsonschema::draft7::meta::validate(&json).unwrap_or_else(|e| panic!("{} is not a draft 7 schema: {e}", f.path));
    jsonschema::draft7::new(&json).unwrap_or_else(|e| panic!("{}: {e}", f.path))
}

/// A TOML text as the JSON value a schema validates.
fn as_json(toml_text: &str) -> Value {
    let value: toml::Value = toml::from_str(toml_text).expect("valid TOML");
    serde_json::to_value(value).unwrap()
}

/// The schema's complaints about `toml_text`, each as `instance path: message`.
fn complaints(v: &jsonschema::Validator, toml_text: &str) -> Vec<String> {
    let json = as_json(toml_text);
    v.iter_errors(&json).map(|e| format!("{}: {e}", e.instance_path())).collect()
}

/// The files a rule's glob (`dir/*.toml` or one path) matches, sorted.
fn matching(glob: &str) -> Vec<String> {
    let Some((dir, ext)) = glob.split_once("/*") else { return vec![glob.to_owned()] };
    let mut out: Vec<String> = fs::read_dir(root().join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .map(|n| format!("{dir}/{n}"))
        .collect();
    out.sort();
    out
}

#[test]
fn taplo_gives_each_kind_of_file_its_schema() {
    let config: toml::Value = toml::from_str(&fs::read_to_string(root().join(".taplo.toml")).unwrap()).unwrap();
    let rules: Vec<(Vec<String>, String)> = config["rule"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let include = r["include"].as_array().unwrap().iter().map(|i| i.as_str().unwrap().to_owned()).collect();
            (include, r["schema"]["path"].as_str().unwrap().to_owned())
        })
        .collect();
    let want: Vec<(Vec<String>, String)> = FILES.iter().map(|f| (vec![f.describes.to_owned()], f.path.to_owned())).collect();
    assert_eq!(rules, want, ".taplo.toml must associate exactly the schemas of codegen::schema::FILES");
}

#[test]
fn every_file_in_metadata_is_valid_against_its_schema() {
    let mut checked = 0;
    let mut failures = Vec::new();
    for f in &FILES {
        let v = validator(f);
        for path in matching(f.describes) {
            let text = fs::read_to_string(root().join(&path)).unwrap();
            failures.extend(complaints(&v, &text).into_iter().map(|c| format!("{path}: {c}")));
            checked += 1;
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    let codes = fs::read_dir(root().join("metadata/codes")).unwrap().count();
    assert_eq!(checked, codes + 2, "every spec, the catalogue and the FFI file");
}

fn read(path: &str) -> String {
    fs::read_to_string(root().join(path)).unwrap()
}

/// Loads `metadata/` with one file's text replaced, as `gen` would.
fn generator_accepts(replace: &str, text: &str) -> Result<(), String> {
    let mut catalogue = read("metadata/errors.toml");
    let mut ffi = read("metadata/ffi.toml");
    let mut codes: Vec<(String, String)> = matching("metadata/codes/*.toml").into_iter().map(|p| (p.clone(), read(&p))).collect();
    match replace {
        "metadata/errors.toml" => catalogue = text.to_owned(),
        "metadata/ffi.toml" => ffi = text.to_owned(),
        _ => codes.iter_mut().find(|(p, _)| p == replace).expect("a spec").1 = text.to_owned(),
    }
    let sources: Vec<Source<'_>> = codes.iter().map(|(p, t)| Source { path: p, text: t }).collect();
    load(Source { path: "metadata/errors.toml", text: &catalogue }, Source { path: "metadata/ffi.toml", text: &ffi }, &sources)
        .map(drop)
        .map_err(|d| d.to_string())
}

#[test]
fn the_schemas_reject_mistakes_the_generator_rejects() {
    const SPEC: &str = "metadata/codes/SIO_IDEAL_SEND_BACKLOG_QUERY.toml";
    // (file, text to replace, replacement, where the schema complains and what it says, what gen says)
    let cases = [
        (SPEC, "header = \"mstcpip.h\"", "header = \"mstcpip.h\"\nhedaer = \"x\"", ": Additional properties", "unknown field `hedaer`"),
        (SPEC, "[blocking]\n", "[blocking]\nblocks = true\n", "/blocking: Additional properties", "unknown field `blocks`"),
        (
            SPEC,
            "wine_support = \"stub\"",
            "wine_support = \"stubbed\"",
            "/wine_support: \"stubbed\" is not one of",
            "unknown variant `stubbed`",
        ),
        (SPEC, "socket = \"udp\"", "socket = \"udpp\"", "/scenarios/2/socket: \"udpp\" is not one of", "unknown variant `udpp`"),
        (
            SPEC,
            "[output]\nkind = \"value\"",
            "[output]\nkind = \"values\"",
            "/output/kind: \"values\" is not one of",
            "unknown variant `values`",
        ),
        (SPEC, "overlapped = true", "overlapped = \"yes\"", "/blocking/overlapped: \"yes\" is not of type", "expected a boolean"),
        (SPEC, "name = \"SIO_IDEAL_SEND_BACKLOG_QUERY\"\n", "", ": \"name\" is a required property", "missing field `name`"),
        (SPEC, "value = 0x4004747B", "value = -1", "/value: -1 is less than the minimum", "invalid value"),
        (SPEC, "value = 0x4004747B", "value = 0x1_0000_0000", "/value: 4294967296 is greater than the maximum", "invalid value"),
        (
            SPEC,
            "min_client = \"Windows Vista SP1\"",
            "min_client = \"Windows Vista SP2\"",
            "/requirements/min_client: \"Windows Vista SP2\" is not one of",
            "unknown Windows version",
        ),
        (SPEC, "sources = [\"reference:", "sources = [\"refrence:", "/sources/0: \"refrence:", "must be `seed:<file>`"),
        (
            SPEC,
            "ja = \"ソケットが接続されていません。ISB は接続済みのストリーム ソケットにしかありません。\"",
            "ja = \"(to be translated)\"",
            "/errors/8/ja: \"(to be translated)\" does not match",
            "has no Japanese in it",
        ),
        (SPEC, "en = \"A blocking call was interrupted.\"", "en = \" \"", "/errors/4/en: \" \" does not match", "the `en` text is empty"),
        (SPEC, "name = \"on_udp\"", "name = \"On UDP\"", "/scenarios/2/name: \"On UDP\" does not match", "not a snake_case identifier"),
        (
            SPEC,
            "_IOR('t', 123, ULONG)",
            "IOR('t', 123, ULONG)",
            "/composition: \"IOR('t', 123, ULONG)\" does not match",
            "unknown macro `IOR`",
        ),
        ("metadata/errors.toml", "variant = \"NotConnected\"", "variant = \"not_connected\"", "/error/", "is not UpperCamelCase"),
        (
            "metadata/ffi.toml",
            "value = \"25a207b9-ddf3-4660-8ee9-76e58c74063e\"",
            "value = \"25a207b9-ddf3-4660-8ee9\"",
            "/guid/",
            "is not a GUID",
        ),
    ];
    for (path, from, to, at, gen_says) in cases {
        let f = FILES.iter().find(|f| matching(f.describes).iter().any(|p| p == path)).unwrap();
        let original = read(path);
        assert!(original.contains(from), "{path}: `{from}` not found");
        let text = original.replacen(from, to, 1);
        let found = complaints(&validator(f), &text);
        let (at_path, says) = at.split_once(": ").unwrap_or((at, ""));
        assert!(
            found.iter().any(|c| c.starts_with(at_path) && c.contains(says)),
            "{path}: `{to}` should be rejected at `{at_path}` ({says}); the schema says {found:?}"
        );
        let err = generator_accepts(path, &text).expect_err(to);
        assert!(err.contains(gen_says), "{path}: `{to}`: gen says {err}");
    }
}

#[test]
fn golden_cases_agree_with_the_schema() {
    let data = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
    let code = FILES.iter().find(|f| f.root == "CodeSpec").unwrap();
    let v = validator(code);
    let (mut accepted, mut rejected) = (0, 0);
    let mut dirs: Vec<PathBuf> = fs::read_dir(&data).unwrap().flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for dir in dirs {
        let expected_err = fs::read_to_string(dir.join("expected.err")).ok();
        for spec in fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name().to_string_lossy().into_owned()) {
            if !spec.ends_with(".toml") || spec == "ffi.toml" {
                continue;
            }
            let text = fs::read_to_string(dir.join(&spec)).unwrap();
            if toml::from_str::<toml::Value>(&text).is_err() {
                continue; // a syntax case: nothing for a schema to say
            }
            let case = format!("{}/{spec}", dir.file_name().unwrap().to_string_lossy());
            let found = complaints(&v, &text);
            // What the reader reports (a key or value that does not fit the types) is what a
            // schema must catch too; a case the generator accepts must be valid.
            let reader_errors = expected_err.as_deref().map_or(0, |err| {
                let prefix = format!("metadata/codes/{spec}:");
                let of_reader = ["unknown field", "unknown variant", "missing field", "invalid type", "has no Japanese", "text is empty"];
                err.lines().filter(|l| l.starts_with(&prefix) && of_reader.iter().any(|m| l.contains(m))).count()
            });
            if expected_err.is_none() {
                assert!(found.is_empty(), "{case} is accepted by the generator, but the schema says {found:?}");
                accepted += 1;
            } else if reader_errors > 0 {
                assert!(!found.is_empty(), "{case}: the generator's reader rejects it, the schema accepts it");
                rejected += 1;
            }
        }
    }
    assert!(accepted >= 15 && rejected >= 5, "{accepted} accepted and {rejected} rejected cases compared");
}

#[test]
fn the_reference_describes_every_key_and_value() {
    let reference = read(schema::REFERENCE);
    // The handwritten text: the reference without its generated tables.
    let mut prose = String::new();
    let mut generated = false;
    for line in reference.lines() {
        if line.starts_with(schema::REGION_BEGIN) && line.ends_with(schema::REGION_TAIL) {
            generated = true;
        } else if line == schema::REGION_END {
            generated = false;
        } else if !generated {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    let mut missing = Vec::new();
    for f in &FILES {
        let json: Value = serde_json::from_str(&read(f.path)).unwrap();
        let tables = std::iter::once(&json).chain(json["definitions"].as_object().unwrap().values());
        for table in tables {
            for key in table.get("properties").and_then(Value::as_object).into_iter().flatten().map(|(k, _)| k) {
                // As a key (`key`, `key = …`), as a table (`[key]`, `[[key]]`, `[[table.key]]`), or
                // given in an example.
                let forms = [format!("`{key}`"), format!("`{key} = "), format!("[{key}]"), format!(".{key}]"), format!("\n{key} = ")];
                if !forms.iter().any(|form| prose.contains(form.as_str())) {
                    missing.push(format!("{}: key `{key}`", f.path));
                }
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "{} says nothing of:\n{}", schema::REFERENCE, missing.join("\n"));
    assert_eq!(schema::splice_reference(&reference).unwrap(), reference, "the reference's tables are stale: run `cargo xtask gen`");
}

#[test]
fn the_reference_s_tables_are_rewritten_and_every_table_must_have_its_place() {
    let reference = read(schema::REFERENCE);
    let begin = |what: &str| format!("{}{what}{}", schema::REGION_BEGIN, schema::REGION_TAIL);
    // A hand edit inside a region is undone.
    let edited = reference.replacen("| `kind` | [`\"unused\"`", "| `kind` | anything", 1);
    assert_ne!(edited, reference, "the Buffer table lists `kind`");
    assert_eq!(schema::splice_reference(&edited).unwrap(), reference);
    // A struct whose table has no place, a region naming nothing, and a region without its end.
    let without = reference.replacen(&begin("keys of Scenario"), "", 1);
    let err = schema::splice_reference(&without).unwrap_err();
    assert!(err.contains("keys of Scenario"), "{err}");
    let unknown = reference.replacen(&begin("keys of Scenario"), &begin("keys of Scenarios"), 1);
    assert!(schema::splice_reference(&unknown).unwrap_err().contains("Scenarios"));
    let last_end = reference.rfind(schema::REGION_END).unwrap();
    let unclosed = format!("{}{}", &reference[..last_end], &reference[last_end + schema::REGION_END.len()..]);
    assert!(schema::splice_reference(&unclosed).unwrap_err().contains("has no"));
}
