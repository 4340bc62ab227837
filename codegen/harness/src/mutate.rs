//! Structure-aware mutants of a TOML document: each [`Mutation`] deletes, replaces, swaps or
//! duplicates one node of the parsed document (toml_edit keeps the rest of the text as it was),
//! or truncates the text. [`mutations`] lists every mutation of a document, [`apply`] makes one.

use std::fmt;
use toml_edit::{Array, ArrayOfTables, DocumentMut, InlineTable, Item, TableLike, Value};

/// One step from a table or array to a child.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A key of a table or inline table.
    Key(String),
    /// An element of an array or an array of tables.
    Index(usize),
}

/// What a [`Mutation::Replace`] puts in place of a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Replacement {
    /// A string.
    Str(&'static str),
    /// An integer.
    Int(i64),
    /// A boolean.
    Bool(bool),
    /// `[]`.
    EmptyArray,
    /// `{}`.
    EmptyTable,
    /// `[old]`.
    Wrapped,
    /// An array's first element.
    Unwrapped,
}

/// The replacements tried on every value: each type, and the edges of the ones specs use (for
/// names: empty, not an identifier, a Rust keyword in both cases).
const REPLACEMENTS: [Replacement; 14] = [
    Replacement::Str(""),
    Replacement::Str("x"),
    Replacement::Str("9 x"),
    Replacement::Str("type"),
    Replacement::Str("Self"),
    Replacement::Int(0),
    Replacement::Int(-1),
    Replacement::Int(1 << 32),
    Replacement::Int(i64::MAX),
    Replacement::Bool(true),
    Replacement::EmptyArray,
    Replacement::EmptyTable,
    Replacement::Wrapped,
    Replacement::Unwrapped,
];

/// The replacements tried on a `[table]` or `[[array of tables]]`.
const TABLE_REPLACEMENTS: [Replacement; 4] = [Replacement::Str("x"), Replacement::Int(0), Replacement::EmptyArray, Replacement::EmptyTable];

/// One change to a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mutation {
    /// Remove the key, table or element at the path.
    Delete(Vec<Step>),
    /// Put another value at the path.
    Replace(Vec<Step>, Replacement),
    /// Exchange the values of the key at the path and its sibling key.
    Swap(Vec<Step>, String),
    /// Insert a copy of the element at the path after it.
    Duplicate(Vec<Step>),
    /// Keep the first this many bytes of the text.
    Truncate(usize),
}

struct Path<'a>(&'a [Step]);

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.0.iter().enumerate() {
            match s {
                Step::Key(k) if i == 0 => write!(f, "{k}")?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

impl fmt::Display for Mutation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Mutation::Delete(p) => write!(f, "delete {}", Path(p)),
            Mutation::Replace(p, r) => write!(f, "replace {} with {r:?}", Path(p)),
            Mutation::Swap(p, other) => write!(f, "swap {} with its sibling {other}", Path(p)),
            Mutation::Duplicate(p) => write!(f, "duplicate {}", Path(p)),
            Mutation::Truncate(n) => write!(f, "truncate to {n} bytes"),
        }
    }
}

impl Mutation {
    /// The operator's name, for counting mutants by kind.
    pub fn kind(&self) -> &'static str {
        match self {
            Mutation::Delete(_) => "delete",
            Mutation::Replace(..) => "replace",
            Mutation::Swap(..) => "swap",
            Mutation::Duplicate(_) => "duplicate",
            Mutation::Truncate(_) => "truncate",
        }
    }
}

/// A container node, for reading.
#[derive(Clone, Copy)]
enum Node<'a> {
    Table(&'a dyn TableLike),
    Array(&'a Array),
    Tables(&'a ArrayOfTables),
}

/// A container node, for changing.
enum NodeMut<'a> {
    Table(&'a mut dyn TableLike),
    Array(&'a mut Array),
    Tables(&'a mut ArrayOfTables),
}

fn item_node(item: &Item) -> Option<Node<'_>> {
    match item {
        Item::Table(t) => Some(Node::Table(t)),
        Item::ArrayOfTables(a) => Some(Node::Tables(a)),
        Item::Value(v) => value_node(v),
        Item::None => None,
    }
}

fn value_node(v: &Value) -> Option<Node<'_>> {
    match v {
        Value::Array(a) => Some(Node::Array(a)),
        Value::InlineTable(t) => Some(Node::Table(t)),
        _ => None,
    }
}

fn node_mut(item: &mut Item) -> Option<NodeMut<'_>> {
    match item {
        Item::Table(t) => Some(NodeMut::Table(t)),
        Item::ArrayOfTables(a) => Some(NodeMut::Tables(a)),
        Item::Value(v) => value_node_mut(v),
        Item::None => None,
    }
}

fn value_node_mut(v: &mut Value) -> Option<NodeMut<'_>> {
    match v {
        Value::Array(a) => Some(NodeMut::Array(a)),
        Value::InlineTable(t) => Some(NodeMut::Table(t)),
        _ => None,
    }
}

/// Every mutation of `text`, in document order; none if it is not TOML.
pub fn mutations(text: &str) -> Vec<Mutation> {
    let mut out = Vec::new();
    if let Ok(doc) = text.parse::<DocumentMut>() {
        collect(Node::Table(doc.as_table()), &mut Vec::new(), &mut out);
    }
    // Cut at the start and in the middle of every line but the first.
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line_start > 0 {
            out.push(Mutation::Truncate(line_start));
        }
        let middle = line.char_indices().nth(line.chars().count() / 2).map_or(0, |(i, _)| i);
        if middle > 0 {
            out.push(Mutation::Truncate(line_start + middle));
        }
        line_start += line.len();
    }
    out
}

fn collect(node: Node<'_>, path: &mut Vec<Step>, out: &mut Vec<Mutation>) {
    match node {
        Node::Table(t) => {
            let entries: Vec<(&str, &Item)> = t.iter().collect();
            for (i, &(key, item)) in entries.iter().enumerate() {
                path.push(Step::Key(key.to_owned()));
                out.push(Mutation::Delete(path.clone()));
                match item {
                    Item::Value(v) => replacements(v, path, out),
                    _ => out.extend(TABLE_REPLACEMENTS.iter().map(|&r| Mutation::Replace(path.clone(), r))),
                }
                for &(other, o) in &entries[i + 1..] {
                    if let (Item::Value(a), Item::Value(b)) = (item, o)
                        && a.to_string().trim() != b.to_string().trim()
                    {
                        out.push(Mutation::Swap(path.clone(), other.to_owned()));
                    }
                }
                if let Some(child) = item_node(item) {
                    collect(child, path, out);
                }
                path.pop();
            }
        }
        Node::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Step::Index(i));
                out.extend([Mutation::Delete(path.clone()), Mutation::Duplicate(path.clone())]);
                replacements(v, path, out);
                if let Some(child) = value_node(v) {
                    collect(child, path, out);
                }
                path.pop();
            }
        }
        Node::Tables(a) => {
            for (i, t) in a.iter().enumerate() {
                path.push(Step::Index(i));
                out.extend([Mutation::Delete(path.clone()), Mutation::Duplicate(path.clone())]);
                collect(Node::Table(t), path, out);
                path.pop();
            }
        }
    }
}

/// The replacements of `old` that change it.
fn replacements(old: &Value, path: &[Step], out: &mut Vec<Mutation>) {
    for r in REPLACEMENTS {
        let same = match (r, old) {
            (Replacement::Str(s), Value::String(v)) => v.value() == s,
            (Replacement::Int(n), Value::Integer(v)) => *v.value() == n,
            (Replacement::Bool(b), Value::Boolean(v)) => *v.value() == b,
            (Replacement::EmptyArray, Value::Array(a)) => a.is_empty(),
            (Replacement::EmptyTable, Value::InlineTable(t)) => t.is_empty(),
            (Replacement::Unwrapped, Value::Array(a)) => a.is_empty(),
            (Replacement::Unwrapped, _) => true,
            _ => false,
        };
        if !same {
            out.push(Mutation::Replace(path.to_vec(), r));
        }
    }
}

fn new_value(r: Replacement, old: Option<&Value>) -> Option<Value> {
    Some(match r {
        Replacement::Str(s) => Value::from(s),
        Replacement::Int(n) => Value::from(n),
        Replacement::Bool(b) => Value::from(b),
        Replacement::EmptyArray => Value::Array(Array::new()),
        Replacement::EmptyTable => Value::InlineTable(InlineTable::new()),
        Replacement::Wrapped => {
            let mut a = Array::new();
            a.push(old?.clone().decorated("", ""));
            Value::Array(a)
        }
        Replacement::Unwrapped => match old? {
            Value::Array(a) => a.get(0)?.clone().decorated(" ", ""),
            _ => return None,
        },
    })
}

/// `text` with `m` applied; `None` if `m` does not fit it (a path it lacks, text that is not
/// TOML, a cut outside it).
pub fn apply(text: &str, m: &Mutation) -> Option<String> {
    let path = match m {
        Mutation::Truncate(n) => return text.get(..*n).map(str::to_owned),
        Mutation::Delete(p) | Mutation::Replace(p, _) | Mutation::Swap(p, _) | Mutation::Duplicate(p) => p,
    };
    let mut doc: DocumentMut = text.parse().ok()?;
    let (last, parents) = path.split_last()?;
    let mut parent = NodeMut::Table(doc.as_table_mut());
    for step in parents {
        parent = match (parent, step) {
            (NodeMut::Table(t), Step::Key(k)) => node_mut(t.get_mut(k)?)?,
            (NodeMut::Array(a), Step::Index(i)) => value_node_mut(a.get_mut(*i)?)?,
            (NodeMut::Tables(a), Step::Index(i)) => NodeMut::Table(a.get_mut(*i)?),
            _ => return None,
        };
    }
    match (parent, last, m) {
        (NodeMut::Table(t), Step::Key(k), Mutation::Delete(_)) => drop(t.remove(k)?),
        (NodeMut::Table(t), Step::Key(k), Mutation::Replace(_, r)) => {
            let new = new_value(*r, t.get(k)?.as_value())?;
            t.insert(k, Item::Value(new));
        }
        (NodeMut::Table(t), Step::Key(k), Mutation::Swap(_, other)) => {
            let (a, b) = (t.get(k)?.clone(), t.get(other)?.clone());
            t.insert(k, b);
            t.insert(other, a);
        }
        (NodeMut::Array(a), Step::Index(i), Mutation::Delete(_)) if *i < a.len() => drop(a.remove(*i)),
        (NodeMut::Array(a), Step::Index(i), Mutation::Replace(_, r)) => {
            let new = new_value(*r, a.get(*i))?;
            a.replace(*i, new);
        }
        (NodeMut::Array(a), Step::Index(i), Mutation::Duplicate(_)) => {
            let v = a.get(*i)?.clone();
            a.insert(*i + 1, v);
        }
        (NodeMut::Tables(a), Step::Index(i), Mutation::Delete(_)) if *i < a.len() => drop(a.remove(*i)),
        (NodeMut::Tables(a), Step::Index(i), Mutation::Duplicate(_)) => {
            let t = a.get(*i)?.clone();
            a.insert(*i + 1, t);
        }
        _ => return None,
    }
    Some(doc.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "name = \"A\"\nvalue = 5\nlist = [\"x\", \"y\"]\n\n[input]\nkind = \"value\"\n\n[[errors]]\nname = \"E1\"\n\n[[errors]]\nname = \"E2\"\n";

    fn key(k: &str) -> Step {
        Step::Key(k.to_owned())
    }

    #[test]
    fn each_operator_changes_only_its_node() {
        let cases = [
            (Mutation::Delete(vec![key("value")]), "name = \"A\"\nlist = [\"x\", \"y\"]\n"),
            (Mutation::Replace(vec![key("value")], Replacement::Str("x")), "name = \"A\"\nvalue = \"x\"\nlist"),
            (Mutation::Replace(vec![key("list"), Step::Index(1)], Replacement::Int(-1)), "list = [\"x\", -1]"),
            (Mutation::Replace(vec![key("list")], Replacement::Unwrapped), "list = \"x\"\n"),
            (Mutation::Replace(vec![key("value")], Replacement::Wrapped), "value = [5]\n"),
            (Mutation::Replace(vec![key("input")], Replacement::EmptyTable), "input = {}\n"),
            (Mutation::Swap(vec![key("name")], "value".to_owned()), "name = 5\nvalue = \"A\"\n"),
            (
                Mutation::Duplicate(vec![key("errors"), Step::Index(0)]),
                "[[errors]]\nname = \"E1\"\n\n[[errors]]\nname = \"E1\"\n\n[[errors]]\nname = \"E2\"\n",
            ),
            (Mutation::Delete(vec![key("errors"), Step::Index(1)]), "[[errors]]\nname = \"E1\"\n"),
            (Mutation::Truncate(11), "name = \"A\"\n"),
        ];
        for (m, want) in cases {
            let got = apply(DOC, &m).unwrap_or_else(|| panic!("{m} did not apply"));
            assert!(got.contains(want), "{m}:\n{got}");
            assert_ne!(got, DOC, "{m}");
        }
        assert!(!apply(DOC, &Mutation::Delete(vec![key("errors"), Step::Index(1)])).unwrap().contains("E2"));
    }

    #[test]
    fn every_listed_mutation_applies_and_changes_the_text() {
        let all = mutations(DOC);
        for kind in ["delete", "replace", "swap", "duplicate", "truncate"] {
            assert!(all.iter().any(|m| m.kind() == kind), "no {kind} mutation");
        }
        for m in &all {
            let got = apply(DOC, m).unwrap_or_else(|| panic!("{m} did not apply"));
            assert_ne!(got, DOC, "{m} changed nothing");
        }
        assert!(mutations("a = [").iter().all(|m| m.kind() == "truncate"));
    }
}
