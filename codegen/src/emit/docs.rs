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
    files.push(markdown_file("docs/catalogue.md".into(), "metadata/", catalogue(ir, Lang::En)));
    files.push(markdown_file("docs/ja/catalogue.md".into(), "metadata/", catalogue(ir, Lang::Ja)));
    files
}

/// Every specified control code in one table: value, header, minimum versions, deprecation, the
/// safe wrapper (linked to its error table), whether it is documented, and what Wine 8.0 does.
fn catalogue(ir: &Ir, lang: Lang) -> String {
    use crate::ir::WineSupport;
    let (title, intro, head, errors_dir) = match lang {
        Lang::En => (
            "# Control codes",
            "Every control code specified in `metadata/codes/`, generated from the specs. The function links to the code's error table and facts.",
            "| Control code | Value | Header | Minimum client / server | Deprecated | Safe function | Documented | Wine 8.0 |",
            "errors",
        ),
        Lang::Ja => (
            "# 制御コード一覧",
            "`metadata/codes/` に仕様がある制御コードの一覧です。仕様から生成されます。関数名のリンク先は、その制御コードのエラー表と詳細です。",
            "| 制御コード | 値 | ヘッダー | 最小クライアント / サーバー | 非推奨 | 安全な関数 | 文書化 | Wine 8.0 |",
            "errors",
        ),
    };
    let mut s = format!("{title}\n\n{intro}\n\n{head}\n|---|---|---|---|---|---|---|---|\n");
    let yes_no = |b: bool| match (lang, b) {
        (Lang::En, true) => "yes",
        (Lang::En, false) => "no",
        (Lang::Ja, true) => "はい",
        (Lang::Ja, false) => "いいえ",
    };
    for c in &ir.codes {
        let function = if c.has_safe_wrapper() {
            let mut overlapped =
                if c.has_overlapped_form() { format!(", `{0}_overlapped`, `{0}_async`", c.function) } else { String::new() };
            if c.stream_query.is_some() {
                overlapped.push_str(&format!(", `{}_stream`", c.function));
            }
            format!("[`{}`]({errors_dir}/{}.md){overlapped}", c.function, c.name)
        } else {
            match lang {
                Lang::En => format!("sys items only ([facts]({errors_dir}/{}.md))", c.name),
                Lang::Ja => format!("sys の定義のみ ([詳細]({errors_dir}/{}.md))", c.name),
            }
        };
        let wine = match (lang, c.wine_support) {
            (Lang::En, WineSupport::Implemented) => "implemented",
            (Lang::En, WineSupport::Stub) => "stub (success, no effect)",
            (Lang::En, WineSupport::NotImplemented) => "not implemented",
            (Lang::Ja, WineSupport::Implemented) => "実装済み",
            (Lang::Ja, WineSupport::Stub) => "スタブ (成功するが効果なし)",
            (Lang::Ja, WineSupport::NotImplemented) => "未実装",
        };
        let (client, server) = match &c.requirements {
            Some(r) => (r.min_client.as_str(), r.min_server.as_str()),
            None => ("—", "—"),
        };
        s.push_str(&format!(
            "| `{}` | `{:#010x}` | `{}` | {} / {} | {} | {} | {} | {} |\n",
            c.name,
            c.value,
            c.header,
            client,
            server,
            yes_no(c.deprecation.is_some()),
            function,
            yes_no(c.documented),
            wine
        ));
    }
    s
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
    if !c.documented {
        s.push_str(match lang {
            Lang::En => "**Undocumented.** No document describes what this code does with its buffers, so this project gives it only its constant in the sys crate (no safe wrapper). It is not equivalent to any documented code.\n\n",
            Lang::Ja => "**文書化されていません。** この制御コードがバッファーをどう扱うかを記述した文書がないため、このプロジェクトでは sys クレートの定数だけを提供し、安全なラッパーはありません。文書化された制御コードと同等のものではありません。\n\n",
        });
        s.push_str(&format!("## {reqs}\n\n{}\n", bullets(text::requirements(c, lang))));
        let n = text::notes(c, lang);
        if !n.is_empty() {
            s.push_str(&format!("## {notes}\n\n{}\n", bullets(n)));
        }
        s.push_str(&format!("`{}` = `{:#010x}` = `{}`\n", c.name, c.value, c.composition));
        return s;
    }
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
