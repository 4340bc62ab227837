//! Emits `docs/`: per control code, its error table and facts in English and Japanese, plus an index.

use super::markdown_file;
use super::spec_path;
use super::text::{self, Lang};
use crate::GeneratedFile;
use crate::ir::{Code, Ir};

pub(crate) fn emit(ir: &Ir) -> Vec<GeneratedFile> {
    let mut files = Vec::new();
    for lang in [Lang::En, Lang::Ja] {
        let dir = match lang {
            Lang::En => "docs/errors",
            Lang::Ja => "docs/ja/errors",
        };
        for c in &ir.codes {
            files.push(markdown_file(format!("{dir}/{}.md", c.name), &spec_path(&c.name), page(c, lang)));
        }
        files.push(markdown_file(format!("{dir}/README.md"), "metadata/", index(ir, lang)));
    }
    files
}

fn bullets(lines: Vec<String>) -> String {
    lines.into_iter().map(|l| format!("- {l}\n")).collect()
}

fn page(c: &Code, lang: Lang) -> String {
    let mut s = format!("# `{}`\n\n{}\n\n", c.name, lang.pick(&c.summary));
    if let Some(d) = text::deprecation(c, lang) {
        s.push_str(&format!("{d}\n\n"));
    }
    let (errors, blocking, applies, reqs, notes) = match lang {
        Lang::En => ("Errors", "Blocking", "Applies to", "Requirements", "Notes"),
        Lang::Ja => ("エラー", "ブロッキング", "適用対象", "要件", "注意事項"),
    };
    s.push_str(&format!("## {errors}\n\n{}\n", text::error_table(c, lang)));
    s.push_str(&format!("## {blocking}\n\n{}\n", bullets(text::blocking(c, lang))));
    s.push_str(&format!("## {applies}\n\n{}\n", bullets(text::applicability(c, lang))));
    s.push_str(&format!("## {reqs}\n\n{}\n", bullets(text::requirements(c, lang))));
    let n = text::notes(c, lang);
    if !n.is_empty() {
        s.push_str(&format!("## {notes}\n\n{}\n", bullets(n)));
    }
    s.push_str(&format!("`{}` = `{:#010x}` = `{}`\n", c.name, c.value, c.composition));
    s
}

fn index(ir: &Ir, lang: Lang) -> String {
    let mut s = match lang {
        Lang::En => "# Error tables\n\nOne page per control code, generated from `metadata/codes/`.\n\n| Control code | Value | Rows |\n|---|---|---|\n".to_owned(),
        Lang::Ja => "# エラー表\n\n制御コードごとのページです。`metadata/codes/` から生成されます。\n\n| 制御コード | 値 | 行数 |\n|---|---|---|\n".to_owned(),
    };
    for c in &ir.codes {
        s.push_str(&format!("| [`{0}`]({0}.md) | `{1:#010x}` | {2} |\n", c.name, c.value, c.errors.len()));
    }
    s
}
