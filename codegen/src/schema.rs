//! The JSON Schemas of the three kinds of file in `metadata/`, derived from their serde mirrors in
//! [`crate::spec`] with schemars, so that they cannot drift from what the generator reads; and the
//! field tables of the spec-format reference (`docs/spec-format.md`), rendered from the same
//! schemas.
//!
//! `cargo xtask gen` writes the schemas to `metadata/schema/`, and `.taplo.toml` hands them to
//! editors (taplo, and VS Code's Even Better TOML, which runs it): completion, hover texts and
//! checks while a spec is written. The schemas follow JSON Schema draft 7, the newest draft that
//! taplo validates. A schema says what a file's keys and values may be, and the simple rules of
//! single values (patterns of names, the known Windows versions, Japanese in `ja` texts); the
//! rules that relate values to each other or to other files stay with `cargo xtask gen`, which
//! the reference describes. A schema is never stricter than the generator: every file that `gen`
//! accepts is valid against it.
//!
//! The value types below are the strings and loose values that a field's Rust type does not
//! describe well enough (`#[schemars(with = …)]` in `spec.rs` names them); each becomes one entry
//! of a schema's `definitions`.

use crate::GeneratedFile;
use crate::validate::SOURCE_KINDS;
use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde_json::{Map, Value};
use std::borrow::Cow;

/// One schema file and the files it describes.
#[derive(Debug, Clone, Copy)]
pub struct SchemaFile {
    /// Where `gen` writes it.
    pub path: &'static str,
    /// The files it describes, as a glob relative to the workspace root.
    pub describes: &'static str,
    /// Its title.
    pub title: &'static str,
    /// The serde type of a whole file (the name of its field table in the reference).
    pub root: &'static str,
    schema: fn(SchemaGenerator) -> Schema,
}

/// The three schemas.
pub const FILES: [SchemaFile; 3] = [
    SchemaFile {
        path: "metadata/schema/code.schema.json",
        describes: "metadata/codes/*.toml",
        title: "winsock-ioctl control-code spec",
        root: "CodeSpec",
        schema: SchemaGenerator::into_root_schema_for::<crate::spec::CodeSpec>,
    },
    SchemaFile {
        path: "metadata/schema/errors.schema.json",
        describes: "metadata/errors.toml",
        title: "winsock-ioctl error catalogue",
        root: "Catalogue",
        schema: SchemaGenerator::into_root_schema_for::<crate::spec::Catalogue>,
    },
    SchemaFile {
        path: "metadata/schema/ffi.schema.json",
        describes: "metadata/ffi.toml",
        title: "winsock-ioctl FFI types",
        root: "FfiSpec",
        schema: SchemaGenerator::into_root_schema_for::<crate::spec::FfiSpec>,
    },
];

impl SchemaFile {
    /// The schema, as JSON.
    pub fn json(&self) -> Value {
        let settings = SchemaSettings::draft07().with(|s| {
            // Before draft 7's own transforms, which move a `$ref`'s siblings into an `allOf`.
            s.transforms.insert(0, Box::new(Tidy));
        });
        let mut schema = (self.schema)(settings.into_generator()).to_value();
        let object = schema.as_object_mut().expect("a root schema is an object");
        // JSON has no comments: the mark of a generated file is its first key.
        let mut out = Map::new();
        out.insert("$comment".into(), crate::emit::header_text("codegen/src/spec.rs (the serde types)").into());
        out.insert("$schema".into(), object.remove("$schema").unwrap_or_default());
        out.insert("title".into(), self.title.into());
        out.extend(std::mem::take(object).into_iter().filter(|(k, _)| k != "title"));
        Value::Object(out)
    }
}

/// The schema files `cargo xtask gen` writes.
pub fn files() -> Vec<GeneratedFile> {
    FILES
        .iter()
        .map(|f| {
            let text = serde_json::to_string_pretty(&f.json()).expect("a schema serialises");
            GeneratedFile { path: f.path.to_owned(), contents: text + "\n" }
        })
        .collect()
}

/// Adjusts schemars' output to TOML and to editors:
/// - TOML has no null: an `Option` is a key that may be left out, not a nullable value, and has
///   no default;
/// - a list that may be left out defaults to `[]`;
/// - an integer type's `format` (`uint32`, …) becomes the range it stands for;
/// - an enum of strings, which schemars writes as a `oneOf` of documented constants, becomes an
///   `enum` (what editors offer as completions), with each value's description kept in taplo's
///   `x-taplo.docs.enumValues`;
/// - a description is one line per paragraph (doc comments wrap at 100 columns; Markdown
///   renderers join the lines anyway, and JSON reads better without the breaks).
#[derive(Clone)]
struct Tidy;

impl Transform for Tidy {
    fn transform(&mut self, schema: &mut Schema) {
        transform_subschemas(self, schema);
        let Some(object) = schema.as_object_mut() else { return };
        drop_null(object);
        if object.get("default").is_some_and(Value::is_null) {
            object.remove("default");
        }
        default_lists(object);
        if let Some(Value::String(text)) = object.get_mut("description") {
            *text = unwrap_lines(text);
        }
        if let Some(Value::String(format)) = object.get("format")
            && let Some((min, max)) = integer_range(format)
        {
            object.remove("format");
            object.entry("minimum").or_insert(min);
            object.entry("maximum").or_insert(max);
        }
        string_enum(object);
    }
}

fn drop_null(object: &mut Map<String, Value>) {
    if let Some(Value::Array(types)) = object.get_mut("type") {
        types.retain(|t| t != "null");
        if let [only] = types.as_slice() {
            let only = only.clone();
            object.insert("type".into(), only);
        }
    }
    let Some(Value::Array(any)) = object.get_mut("anyOf") else { return };
    any.retain(|s| s.get("type").is_none_or(|t| t != "null"));
    if let [Value::Object(only)] = any.as_slice() {
        let only = only.clone();
        object.remove("anyOf");
        for (k, v) in only {
            object.entry(k).or_insert(v);
        }
    }
}

/// Gives every list property outside `required` the default `[]`.
fn default_lists(object: &mut Map<String, Value>) {
    let required: Vec<Value> = object.get("required").and_then(Value::as_array).cloned().unwrap_or_default();
    let Some(Value::Object(properties)) = object.get_mut("properties") else { return };
    for (name, property) in properties.iter_mut() {
        if let Value::Object(p) = property
            && p.get("type").is_some_and(|t| t == "array")
            && !required.iter().any(|r| r == name)
        {
            p.entry("default").or_insert(Value::Array(Vec::new()));
        }
    }
}

/// Joins the lines of each paragraph of `text` with spaces.
fn unwrap_lines(text: &str) -> String {
    text.split("\n\n").map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(" ")).collect::<Vec<_>>().join("\n\n")
}

fn integer_range(format: &str) -> Option<(Value, Value)> {
    Some(match format {
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "uint32" => (0.into(), u32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "uint64" => (0.into(), u64::MAX.into()),
        _ => return None,
    })
}

fn string_enum(object: &mut Map<String, Value>) {
    let Some(Value::Array(variants)) = object.get("oneOf") else { return };
    let consts: Option<Vec<(Value, Value)>> = variants
        .iter()
        .map(|v| {
            let doc = v.get("description").and_then(Value::as_str).map(unwrap_lines).unwrap_or_default();
            Some((v.get("const").filter(|c| c.is_string())?.clone(), doc.into()))
        })
        .collect();
    let Some(consts) = consts else { return };
    object.remove("oneOf");
    let (values, docs): (Vec<Value>, Vec<Value>) = consts.into_iter().unzip();
    object.insert("type".into(), "string".into());
    object.insert("enum".into(), values.into());
    object.insert("x-taplo".into(), serde_json::json!({ "docs": { "enumValues": docs } }));
}

/// Declares a value type: a unit struct whose schema is `$schema` with `$title` and `$doc` (also
/// its rustdoc).
macro_rules! value_type {
    ($name:ident, $title:literal, $doc:literal, $schema:expr) => {
        #[doc = $doc]
        pub(crate) struct $name;

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                let mut schema: Schema = $schema;
                schema.insert("title".into(), $title.into());
                schema.insert("description".into(), Value::String($doc.into()));
                schema
            }
        }
    };
}

fn string(pattern: &str) -> Schema {
    json_schema!({ "type": "string", "pattern": pattern })
}

fn one_of(values: &[&str]) -> Schema {
    json_schema!({ "type": "string", "enum": values })
}

value_type!(
    Source,
    "source",
    "A document the facts come from: `seed:<file>` (a file under `../shared/seeds/`), \
     `reference:<path>` (under `../shared/reference/`), `header:<path>` (a C header, e.g. \
     `header:mingw-w64/mstcpip.h`) or `metadata:<namespace>` (Microsoft's Win32 metadata, e.g. \
     `metadata:Windows.Win32.Networking.WinSock`). When `../shared/` is beside the checkout, \
     every `seed:` and `reference:` file must exist there.",
    string(&format!("^({})[\\s\\S]", SOURCE_KINDS.join("|")))
);

value_type!(MacroName, "macro name", "A C macro name in UPPER_SNAKE_CASE, e.g. `SIO_KEEPALIVE_VALS`.", string("^[A-Z0-9_]+$"));

value_type!(
    ErrorName,
    "error name",
    "The name of an error of `metadata/errors.toml`, e.g. `WSAENOTCONN`.",
    json_schema!({ "type": "string" })
);

value_type!(
    SnakeCase,
    "snake_case name",
    "A Rust name in snake_case: a lower-case ASCII letter, then lower-case letters, digits and `_`.",
    string("^[a-z][a-z0-9_]*$")
);

value_type!(
    UpperCamelCase,
    "UpperCamelCase name",
    "A Rust name in UpperCamelCase: an upper-case ASCII letter, then letters and digits.",
    string("^[A-Z][A-Za-z0-9]*$")
);

value_type!(
    ClientVersion,
    "client version",
    "A Windows client version, one of the names the generator knows (oldest first).",
    one_of(crate::CLIENT_VERSIONS)
);

value_type!(
    ServerVersion,
    "server version",
    "A Windows Server version, one of the names the generator knows (oldest first).",
    one_of(crate::SERVER_VERSIONS)
);

value_type!(English, "English text", "A text in English: it must say something (not empty or blank).", string("\\S"));

value_type!(
    Japanese,
    "Japanese text",
    "A text in Japanese: it must contain kana or kanji (a copy of the English, or a placeholder, is a mistake).",
    string(&japanese_pattern())
);

/// A character class of [`crate::read::JAPANESE`], in the characters themselves (every regex
/// dialect reads those).
fn japanese_pattern() -> String {
    let ranges: String = crate::read::JAPANESE.iter().map(|(first, last)| format!("{first}-{last}")).collect();
    format!("[{ranges}]")
}

value_type!(
    GuidText,
    "GUID",
    "A GUID in its usual text form, `xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx` (hexadecimal digits).",
    string("^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$")
);

value_type!(
    AsBool,
    "as",
    "Shows an integer as a `bool` in the safe layer (non-zero is `true`): the only value is `\"bool\"`.",
    one_of(&["bool"])
);

value_type!(
    Composition,
    "composition",
    "How the headers compute a control code: one of the macros `_IO(g, n)`, `_IOR(g, n, TYPE)`, \
     `_IOW(g, n, TYPE)` (g a character such as `'t'` or a number up to 255, n up to 255, TYPE a \
     fixed-size scalar), `_WSAIO(F, n)`, `_WSAIOR(F, n)`, `_WSAIOW(F, n)`, `_WSAIORW(F, n)` (F one \
     of `IOC_UNIX`, `IOC_WS2`, `IOC_PROTOCOL`, `IOC_VENDOR`, n up to 65535); or hexadecimal \
     literals joined by `|`, e.g. `0x80000000 | 0x18000000 | 0x00000001`.",
    string("^\\s*(0x|(_IO|_IOR|_IOW|_WSAIO|_WSAIOR|_WSAIOW|_WSAIORW)\\s*\\([\\s\\S]*\\)\\s*$)")
);

/// A C type by name. Its description lists the scalars and builtins of [`crate::ctypes`].
pub(crate) struct CTypeName;

impl JsonSchema for CTypeName {
    fn schema_name() -> Cow<'static, str> {
        "CTypeName".into()
    }

    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        let scalars: Vec<&str> = crate::ctypes::names().collect();
        let builtins: Vec<&str> = crate::ctypes::builtins().iter().map(|b| b.c).collect();
        let doc = format!(
            "A C type by name: a scalar ({}), a builtin, whose fields the specs do not list ({}), or a struct, enum or function pointer of `metadata/ffi.toml`.",
            scalars.join(", "),
            builtins.join(", ")
        );
        json_schema!({ "type": "string", "title": "C type", "description": doc })
    }
}

value_type!(
    FieldType,
    "field type",
    "A field's C type: a scalar, a builtin, a struct or enum of the same file, or an array of one, `TYPE[N]` (N at least 1).",
    json_schema!({ "type": "string" })
);

value_type!(
    WindowsSysModule,
    "windows-sys module",
    "A module path of the windows-sys crate, e.g. `Win32::Networking::WinSock`.",
    string("^[A-Z][A-Za-z0-9_]*(::[A-Z][A-Za-z0-9_]*)*$")
);

value_type!(
    Outcome,
    "outcome",
    "What a call does: `ok` (it succeeds), `pending` (an overlapped request stays pending; a \
     synchronous call blocks until the event), or the name of the error it fails with, which \
     must be a row of the code's error table.",
    json_schema!({ "type": "string" })
);

value_type!(
    ScenarioInput,
    "scenario input",
    "An input value, in the form the input buffer's shape takes: a boolean (`BOOL`, or an \
     integer with `as = \"bool\"`), an integer (other integer scalars; it must fit the type), the \
     name of an enum's value, a GUID string, a socket address `\"ip:port\"`, an array of \
     `\"ip:port\"` strings (an address list), an array of integers from 0 to 255 (bytes), or an \
     inline table of a struct's safe field names (every field but the reserved ones).",
    json_schema!({ "type": ["boolean", "integer", "string", "array", "object"] })
);

value_type!(
    ScenarioValue,
    "scenario value",
    "An output value: a boolean or an integer for a scalar output, `\"the_socket\"` for a socket \
     handle output equal to the socket the scenario calls on.",
    json_schema!({ "type": ["boolean", "integer", "string"] })
);

value_type!(
    ChoiceInput,
    "choice input",
    "The input value that selects a choice: a non-negative integer (integer inputs) or the name of \
     a `[[guid]]` of `metadata/ffi.toml` (GUID inputs).",
    json_schema!({ "anyOf": [{ "type": "integer", "minimum": 0 }, { "type": "string" }] })
);

/// The spec-format reference. Its field tables are generated: `gen` rewrites every region that
/// starts with a [`REGION_BEGIN`] line and ends with a [`REGION_END`] line.
pub const REFERENCE: &str = "docs/spec-format.md";

/// How a generated region of the reference starts: `<!-- @generated keys of Buffer … -->` (the
/// keys of a table, from a struct), `<!-- @generated values of Fixture … -->` (the values of an
/// enum) or `<!-- @generated value types … -->` (the value types above).
pub const REGION_BEGIN: &str = "<!-- @generated ";
/// The rest of a region's first line, after what it holds.
pub const REGION_TAIL: &str = " by `cargo xtask gen` from metadata/schema/; do not edit down to the end line -->";
/// The last line of a region.
pub const REGION_END: &str = "<!-- @generated end -->";

/// What a region of the reference holds.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Region {
    /// The keys of the table a struct mirrors.
    Keys(String),
    /// The values of an enum.
    Values(String),
    /// The value types.
    ValueTypes,
}

impl Region {
    /// What the region holds, as its first line says it.
    fn words(&self) -> String {
        match self {
            Region::Keys(n) => format!("keys of {n}"),
            Region::Values(n) => format!("values of {n}"),
            Region::ValueTypes => "value types".to_owned(),
        }
    }

    fn parse(what: &str) -> Option<Region> {
        if let Some(name) = what.strip_prefix("keys of ") {
            Some(Region::Keys(name.to_owned()))
        } else if let Some(name) = what.strip_prefix("values of ") {
            Some(Region::Values(name.to_owned()))
        } else {
            (what == "value types").then_some(Region::ValueTypes)
        }
    }
}

/// Every named schema of the three files: the roots by their Rust names, then the definitions.
fn definitions() -> Vec<(String, Value)> {
    let mut out: Vec<(String, Value)> = Vec::new();
    for f in &FILES {
        let mut json = f.json();
        let defs = json.as_object_mut().and_then(|o| o.remove("definitions"));
        out.push((f.root.to_owned(), json));
        for (name, def) in defs.and_then(|d| d.as_object().cloned()).into_iter().flatten() {
            if !out.iter().any(|(n, _)| *n == name) {
                out.push((name, def));
            }
        }
    }
    out
}

/// The region that documents a definition: a struct's keys, an enum's values, or the value
/// types, which share one.
fn region_for(name: &str, def: &Value) -> Option<Region> {
    if def.get("properties").is_some() {
        Some(Region::Keys(name.to_owned()))
    } else if def.get("title").is_some() {
        Some(Region::ValueTypes)
    } else if def.get("enum").is_some() {
        Some(Region::Values(name.to_owned()))
    } else {
        None
    }
}

/// `doc` (the reference) with its generated regions rewritten. Every struct and enum of the
/// schemas must have its region, and every region must name one.
pub fn splice_reference(doc: &str) -> Result<String, String> {
    let defs = definitions();
    let err = |m: String| format!("{REFERENCE}: {m}");
    // Where each region is, and the anchor of the heading above it (what links point to).
    let mut anchors: Vec<(Region, String)> = Vec::new();
    let mut heading = String::new();
    for line in doc.lines() {
        if line.starts_with('#') {
            heading = slug(line.trim_start_matches('#'));
        } else if let Some(what) = line.strip_prefix(REGION_BEGIN).and_then(|l| l.strip_suffix(REGION_TAIL)) {
            let region =
                Region::parse(what).ok_or_else(|| err(format!("`{line}` names no table (`keys of X`, `values of X` or `value types`)")))?;
            if anchors.iter().any(|(r, _)| *r == region) {
                return Err(err(format!("two regions hold the {what}")));
            }
            anchors.push((region, heading.clone()));
        }
    }
    for (region, _) in &anchors {
        if !defs.iter().any(|(n, d)| region_for(n, d).as_ref() == Some(region)) {
            return Err(err(format!("a region holds the {}, which the schemas do not have", region.words())));
        }
    }
    for (name, def) in &defs {
        let Some(region) = region_for(name, def) else { continue };
        if !anchors.iter().any(|(r, _)| *r == region) {
            let what = region.words();
            return Err(err(format!(
                "no region for the {what}: add `{REGION_BEGIN}{what}{REGION_TAIL}` and `{REGION_END}` where they belong"
            )));
        }
    }
    let link = |region: Region| anchors.iter().find(|(r, _)| *r == region).map(|(_, a)| format!("#{a}")).unwrap_or_default();
    let render = |region: &Region| -> String {
        match region {
            Region::Keys(name) => keys_table(&defs.iter().find(|(n, _)| n == name).expect("checked above").1, &defs, &link),
            Region::Values(name) => values_table(&defs.iter().find(|(n, _)| n == name).expect("checked above").1),
            Region::ValueTypes => value_types_table(&defs),
        }
    };
    let mut out = String::with_capacity(doc.len());
    let mut lines = doc.lines();
    while let Some(line) = lines.next() {
        out.push_str(line);
        out.push('\n');
        let Some(region) = line.strip_prefix(REGION_BEGIN).and_then(|l| l.strip_suffix(REGION_TAIL)).and_then(Region::parse) else {
            continue;
        };
        if !lines.by_ref().any(|l| l == REGION_END) {
            return Err(err(format!("`{line}` has no `{REGION_END}` line")));
        }
        out.push_str(&render(&region));
        out.push_str(REGION_END);
        out.push('\n');
    }
    Ok(out)
}

/// GitHub's anchor for a heading's text.
fn slug(heading: &str) -> String {
    heading
        .trim()
        .to_lowercase()
        .chars()
        .filter_map(|c| match c {
            ' ' => Some('-'),
            c if c.is_alphanumeric() || c == '-' || c == '_' => Some(c),
            _ => None,
        })
        .collect()
}

/// A Markdown table cell: no line breaks, no bare `|`.
fn cell(text: &str) -> String {
    text.replace("\n\n", " ").replace('\n', " ").replace('|', "\\|")
}

/// The definition a property refers to: `$ref`, or the `$ref` of a one-element `allOf`.
fn reference(schema: &Value) -> Option<&str> {
    let r = schema.get("$ref").or_else(|| schema.get("allOf")?.as_array().filter(|a| a.len() == 1)?[0].get("$ref"))?;
    r.as_str()?.strip_prefix("#/definitions/")
}

/// What a value of `schema` may be, in words, with links to the tables that say more.
fn type_words(schema: &Value, defs: &[(String, Value)], link: &dyn Fn(Region) -> String) -> String {
    if let Some(name) = reference(schema) {
        let def = &defs.iter().find(|(n, _)| n == name).map(|(_, d)| d.clone()).unwrap_or_default();
        if def.get("properties").is_some() {
            return format!("table ([{name}]({}))", link(Region::Keys(name.to_owned())));
        }
        if let Some(title) = def.get("title").and_then(Value::as_str) {
            return format!("[{title}]({})", link(Region::ValueTypes));
        }
        if let Some(values) = def.get("enum").and_then(Value::as_array) {
            let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
            return format!("[{}]({})", values.join(", "), link(Region::Values(name.to_owned())));
        }
        return name.to_owned();
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => {
            let items = schema.get("items").map(|i| type_words(i, defs, link)).unwrap_or_default();
            match items.strip_prefix("table ") {
                Some(table) => format!("array of tables {table}"),
                None => format!("array of {items}"),
            }
        }
        Some("integer") => match (schema.get("minimum"), schema.get("maximum")) {
            (Some(min), Some(max)) => format!("integer, {min} to {max}"),
            (Some(min), None) => format!("integer, at least {min}"),
            _ => "integer".to_owned(),
        },
        Some(t) => t.to_owned(),
        None => "any".to_owned(),
    }
}

fn keys_table(def: &Value, defs: &[(String, Value)], link: &dyn Fn(Region) -> String) -> String {
    let required: Vec<&str> =
        def.get("required").and_then(Value::as_array).map(|r| r.iter().filter_map(Value::as_str).collect()).unwrap_or_default();
    let mut out = String::from("| key | value | required or default | meaning |\n|---|---|---|---|\n");
    for (key, p) in def.get("properties").and_then(Value::as_object).into_iter().flatten() {
        let presence = if required.contains(&key.as_str()) {
            "required".to_owned()
        } else {
            match p.get("default") {
                Some(d) => format!("`{d}`"),
                None => "optional".to_owned(),
            }
        };
        let meaning = p.get("description").and_then(Value::as_str).unwrap_or_default();
        out.push_str(&format!("| `{key}` | {} | {presence} | {} |\n", type_words(p, defs, link), cell(meaning)));
    }
    out
}

fn values_table(def: &Value) -> String {
    let values = def.get("enum").and_then(Value::as_array).cloned().unwrap_or_default();
    let docs = def.pointer("/x-taplo/docs/enumValues").and_then(Value::as_array).cloned().unwrap_or_default();
    let mut out = String::from("| value | meaning |\n|---|---|\n");
    for (i, v) in values.iter().enumerate() {
        let doc = docs.get(i).and_then(Value::as_str).unwrap_or_default();
        out.push_str(&format!("| `{v}` | {} |\n", cell(doc)));
    }
    out
}

fn value_types_table(defs: &[(String, Value)]) -> String {
    let mut out = String::from("| value type | what it takes | check |\n|---|---|---|\n");
    for (_, def) in defs.iter().filter(|(n, d)| region_for(n, d) == Some(Region::ValueTypes)) {
        let title = def.get("title").and_then(Value::as_str).unwrap_or_default();
        let doc = def.get("description").and_then(Value::as_str).unwrap_or_default();
        let check = match (def.get("pattern").and_then(Value::as_str), def.get("enum").and_then(Value::as_array)) {
            (Some(p), _) => format!("matches `{}`", p.replace('|', "\\|")),
            (None, Some(values)) => {
                let values: Vec<String> = values.iter().map(|v| format!("`{v}`")).collect();
                format!("one of {}", values.join(", "))
            }
            (None, None) => kinds(def),
        };
        out.push_str(&format!("| {title} | {} | {check} |\n", cell(doc)));
    }
    out
}

/// The JSON types a schema without a pattern or an enum allows, in words.
fn kinds(def: &Value) -> String {
    if let Some(any) = def.get("anyOf").and_then(Value::as_array) {
        return any.iter().map(kinds).collect::<Vec<_>>().join(", or ");
    }
    let types: Vec<&str> = match def.get("type") {
        Some(Value::Array(ts)) => ts.iter().filter_map(Value::as_str).collect(),
        Some(Value::String(t)) => vec![t],
        _ => vec!["any value"],
    };
    let types = types.join(", ").replace("object", "table");
    match def.get("minimum") {
        Some(min) => format!("{types}, at least {min}"),
        None => types,
    }
}
