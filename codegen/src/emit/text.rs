//! Prose built from IR data, in English and Japanese, shared by the rustdoc and docs emitters so
//! that both show the same tables and facts.

use crate::ir::*;

/// Output language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Japanese.
    Ja,
}

impl Lang {
    pub(crate) fn pick(self, t: &Text) -> &str {
        match self {
            Lang::En => &t.en,
            Lang::Ja => &t.ja,
        }
    }

    fn s(self, en: &'static str, ja: &'static str) -> &'static str {
        match self {
            Lang::En => en,
            Lang::Ja => ja,
        }
    }
}

/// Escapes a cell for a Markdown table.
pub fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The error table, as Markdown: one header, one row per error, in spec order.
pub fn error_table(code: &Code, lang: Lang) -> String {
    let mut out = String::new();
    out.push_str(lang.s("| Error | Value | Meaning for this control code |\n", "| エラー | 値 | この制御コードでの意味 |\n"));
    out.push_str("|---|---|---|\n");
    for r in &code.errors {
        out.push_str(&format!("| `{}` | {} | {} |\n", r.name, r.value, cell(lang.pick(&r.text))));
    }
    out
}

/// The C call that a wrapper performs.
pub fn c_call(code: &Code, overlapped: bool) -> String {
    let n = code.input.name.as_deref().unwrap_or("input");
    let input = match (&code.input.shape, &code.input.c_type) {
        (Shape::None, _) => "NULL, 0".to_owned(),
        (Shape::SockAddr, _) => format!("&{n}, sizeof {n}"),
        (Shape::Bytes | Shape::AddressList, _) => format!("{n}, {n}_len"),
        (_, Some(t)) => format!("&{n}, sizeof({t})"),
        (_, None) => format!("&{n}, sizeof {n}"),
    };
    let r = code.output.name.as_deref().unwrap_or("result");
    let output = match (&code.output.shape, &code.output.c_type) {
        (Shape::None, _) => "NULL, 0".to_owned(),
        (Shape::AddressList | Shape::Array(_) | Shape::Bytes | Shape::SockAddr, _) => "buffer, buffer_len".to_owned(),
        (Shape::Selected(_), _) => format!("&{r}, sizeof {r}"),
        (_, Some(t)) => format!("&{r}, sizeof({t})"),
        (_, None) => format!("&{r}, sizeof {r}"),
    };
    let ov = if overlapped { "&overlapped" } else { "NULL" };
    format!("WSAIoctl(s, {}, {input}, {output}, &bytes_returned, {ov}, NULL)", code.name)
}

fn join<T>(items: &[T], f: impl Fn(&T) -> &'static str, lang: Lang) -> String {
    let words: Vec<_> = items.iter().map(f).collect();
    words.join(lang.s(", ", "、"))
}

/// Bullet list of where the code applies.
pub fn applicability(code: &Code, lang: Lang) -> Vec<String> {
    let a = &code.applicability;
    let mut out = Vec::new();
    let any = lang.s("any", "制限なし");
    let types = if a.socket_types.is_empty() {
        any.to_owned()
    } else {
        join(
            &a.socket_types,
            |t| match t {
                SocketType::Stream => "`SOCK_STREAM`",
                SocketType::Dgram => "`SOCK_DGRAM`",
                SocketType::Raw => "`SOCK_RAW`",
            },
            lang,
        )
    };
    let protos = if a.protocols.is_empty() {
        any.to_owned()
    } else {
        join(
            &a.protocols,
            |p| match p {
                Protocol::Tcp => "`IPPROTO_TCP`",
                Protocol::Udp => "`IPPROTO_UDP`",
                Protocol::Ip => "`IPPROTO_IP`",
                Protocol::Ipv6 => "`IPPROTO_IPV6`",
            },
            lang,
        )
    };
    let fams = if a.address_families.is_empty() {
        any.to_owned()
    } else {
        join(
            &a.address_families,
            |f| match f {
                AddressFamily::Inet => "`AF_INET`",
                AddressFamily::Inet6 => "`AF_INET6`",
            },
            lang,
        )
    };
    out.push(match lang {
        Lang::En => format!("Socket types: {types}; protocols: {protos}; address families: {fams}."),
        Lang::Ja => format!("ソケットの種類: {types}。プロトコル: {protos}。アドレス ファミリ: {fams}。"),
    });
    if let Some(e) = &a.wrong_type_error {
        out.push(match lang {
            Lang::En => format!("Other socket types fail with `{e}`."),
            Lang::Ja => format!("それ以外の種類のソケットでは `{e}` で失敗します。"),
        });
    }
    let state = match a.state {
        SocketState::Any => None,
        SocketState::Unconnected => Some(lang.s("not yet connected", "未接続")),
        SocketState::Bound => Some(lang.s("bound", "バインド済み")),
        SocketState::Connected => Some(lang.s("connected", "接続済み")),
    };
    if let Some(st) = state {
        out.push(match (lang, &a.wrong_state_error) {
            (Lang::En, Some(e)) => format!("The socket must be {st}; otherwise the call fails with `{e}`."),
            (Lang::En, None) => format!("The socket must be {st}."),
            (Lang::Ja, Some(e)) => format!("ソケットは{st}である必要があります。そうでなければ `{e}` で失敗します。"),
            (Lang::Ja, None) => format!("ソケットは{st}である必要があります。"),
        });
    }
    if !a.must_precede.is_empty() {
        let calls = join(
            &a.must_precede,
            |c| match c {
                SocketCall::Bind => "`bind`",
                SocketCall::Connect => "`connect`",
                SocketCall::Listen => "`listen`",
                SocketCall::Accept => "`accept`",
            },
            lang,
        );
        out.push(match lang {
            Lang::En => format!("Issue it before {calls}; it has no effect on a socket already past that point."),
            Lang::Ja => format!("{calls} より前に発行してください。その段階を過ぎたソケットには効果がありません。"),
        });
    }
    if a.both_ends {
        out.push(lang.s("Both ends of the connection must issue it.", "接続の両端で発行する必要があります。").to_owned());
    }
    out
}

/// Bullet list of blocking and overlapped behaviour.
pub fn blocking(code: &Code, lang: Lang) -> Vec<String> {
    let b = &code.blocking;
    let mut out = Vec::new();
    out.push(match b.completion {
        Completion::Immediate => {
            lang.s("Completes at once; it does not wait for any event.", "すぐに完了し、イベントを待ちません。").to_owned()
        }
        Completion::OnEvent => lang
            .s(
                "Pends until the event it reports happens, which may be never.",
                "通知対象のイベントが起きるまで保留されます。起きない可能性もあります。",
            )
            .to_owned(),
    });
    match b.nonblocking {
        NonBlocking::NotApplicable => {}
        NonBlocking::WouldBlock => out.push(
            lang.s(
                "On a non-blocking socket without overlapped I/O it fails at once with `WSAEWOULDBLOCK`; the change is then reported as a network event.",
                "オーバーラップ I/O を使わない非ブロッキング ソケットでは、すぐに `WSAEWOULDBLOCK` で失敗し、変化はネットワーク イベントとして通知されます。",
            )
            .to_owned(),
        ),
        NonBlocking::Blocks => out.push(
            lang.s(
                "**Blocks even on a non-blocking socket**: this code ignores non-blocking mode. Use the overlapped form to keep control.",
                "**非ブロッキング ソケットでもブロックします**。この制御コードは非ブロッキング モードを無視します。制御を失わないためにはオーバーラップ形式を使ってください。",
            )
            .to_owned(),
        ),
    }
    if let Some(m) = b.max_pending {
        out.push(match lang {
            Lang::En => format!("At most {m} request may pend per socket."),
            Lang::Ja => format!("1 つのソケットで保留できる要求は最大 {m} 個です。"),
        });
    }
    let ov = match (b.overlapped, b.completion_routine) {
        (true, true) => {
            lang.s("Overlapped I/O and completion routines are supported.", "オーバーラップ I/O と完了ルーチンに対応しています。")
        }
        (true, false) => lang.s(
            "Overlapped I/O is supported; completion routines are not.",
            "オーバーラップ I/O に対応していますが、完了ルーチンには対応していません。",
        ),
        (false, _) => lang.s("Overlapped I/O is not supported.", "オーバーラップ I/O には対応していません。"),
    };
    out.push(ov.to_owned());
    if !b.ends_pending.is_empty() {
        let conds: Vec<&str> = b
            .ends_pending
            .iter()
            .map(|c| match c {
                EndCondition::ShutdownSend => lang.s("`shutdown(SD_SEND)`", "`shutdown(SD_SEND)`"),
                EndCondition::Disconnect => lang.s(
                    "a graceful disconnect (`DisconnectEx`, or `TransmitFile`/`TransmitPackets` with `TF_DISCONNECT` or `TF_REUSE`)",
                    "正常な切断 (`DisconnectEx`、または `TF_DISCONNECT` か `TF_REUSE` を指定した `TransmitFile`/`TransmitPackets`)",
                ),
                EndCondition::Reset => lang.s("a reset or aborted connection", "接続のリセットまたは中止"),
                EndCondition::SecondRequest => lang.s("a second request while one is pending", "保留中にもう 1 つ要求を出すこと"),
                EndCondition::Cancelled => {
                    lang.s("cancellation by the I/O manager (`CancelIoEx`)", "I/O マネージャーによる取り消し (`CancelIoEx`)")
                }
                EndCondition::SocketClosed => lang.s("closing the socket", "ソケットを閉じること"),
            })
            .collect();
        let errs: Vec<String> = b.ends_pending_errors.iter().map(|e| format!("`{e}`")).collect();
        let errs = errs.join(lang.s(" or ", " または "));
        out.push(match lang {
            Lang::En => format!("A pending request ends with {errs} on: {}.", conds.join("; ")),
            Lang::Ja => format!("保留中の要求は次の場合に {errs} で終了します: {}。", conds.join("、")),
        });
    }
    out
}

/// A source of a fact, as Markdown a reader can follow: Microsoft's reference pages (the specs'
/// `reference:` sources, taken from the MicrosoftDocs repositories) become links to their
/// published pages; other sources stay as written.
pub fn source_ref(src: &str) -> String {
    let page = |stem: &str, url: String| format!("[{stem}]({url})");
    if let Some(stem) = src.strip_prefix("reference:winsock/").and_then(|p| p.strip_suffix(".md")) {
        return page(stem, format!("https://learn.microsoft.com/windows/win32/winsock/{stem}"));
    }
    if let Some(stem) = src.strip_prefix("reference:sdk-api/").and_then(|p| p.strip_suffix(".md"))
        && let Some(header) = stem.split('-').nth(1)
    {
        return page(stem, format!("https://learn.microsoft.com/windows/win32/api/{header}/{stem}"));
    }
    format!("`{src}`")
}

/// Bullet list of requirements, deprecation and version-specific behaviour.
pub fn requirements(code: &Code, lang: Lang) -> Vec<String> {
    let mut out = vec![match (lang, &code.requirements) {
        (Lang::En, Some(r)) => format!("Minimum client: {}; minimum server: {}; header: `{}`.", r.min_client, r.min_server, code.header),
        (Lang::Ja, Some(r)) => format!("最小クライアント: {}。最小サーバー: {}。ヘッダー: `{}`。", r.min_client, r.min_server, code.header),
        (Lang::En, None) => format!("No document states a minimum Windows version; header: `{}`.", code.header),
        (Lang::Ja, None) => format!("最小 Windows バージョンを記載した文書はありません。ヘッダー: `{}`。", code.header),
    }];
    let disputed = code.requirements.iter().flat_map(|r| &r.disputed);
    for (c, s, src, note) in disputed {
        out.push(match lang {
            Lang::En => format!("{} states {c} / {s} instead: {}", source_ref(src), lang.pick(note)),
            Lang::Ja => format!("{} には {c} / {s} と記載されています: {}", source_ref(src), lang.pick(note)),
        });
    }
    for v in &code.version_behaviour {
        let err = v.error.as_ref().map(|e| format!(" (`{e}`)")).unwrap_or_default();
        out.push(match lang {
            Lang::En => format!(
                "Through {} and {}{err}: {} (source: {})",
                v.through_client,
                v.through_server,
                lang.pick(&v.text),
                source_ref(&v.source)
            ),
            Lang::Ja => format!(
                "{} および {} まで{err}: {} (出典: {})",
                v.through_client,
                v.through_server,
                lang.pick(&v.text),
                source_ref(&v.source)
            ),
        });
    }
    out
}

/// Deprecation paragraph, if deprecated.
pub fn deprecation(code: &Code, lang: Lang) -> Option<String> {
    let d = code.deprecation.as_ref()?;
    let src = d.sources.iter().map(|s| source_ref(s)).collect::<Vec<_>>().join(", ");
    let mut s = match lang {
        Lang::En => format!("**Deprecated.** {} (stated in {src}", lang.pick(&d.reason)),
        Lang::Ja => format!("**非推奨です。** {} (記載: {src}", lang.pick(&d.reason)),
    };
    if !d.absent_in.is_empty() {
        let absent = d.absent_in.iter().map(|s| source_ref(s)).collect::<Vec<_>>().join(", ");
        s.push_str(&match lang {
            Lang::En => format!("; not stated in {absent}"),
            Lang::Ja => format!("。{absent} には記載なし"),
        });
    }
    s.push(')');
    Some(s)
}

/// Notes, lists, ranges and inline helpers, as Markdown paragraphs.
pub fn notes(code: &Code, lang: Lang) -> Vec<String> {
    let mut out: Vec<String> = code.notes.iter().map(|(_, t)| lang.pick(t).to_owned()).collect();
    for r in &code.ranges {
        out.push(match lang {
            Lang::En => format!("{}: {} to {} {}.", lang.pick(&r.text), r.min, r.max, r.unit),
            Lang::Ja => format!("{}: {} から {} {}。", lang.pick(&r.text), r.min, r.max, r.unit),
        });
    }
    for l in &code.lists {
        let items = l.items.iter().map(|i| format!("`{i}`")).collect::<Vec<_>>().join(", ");
        let mut s = format!("{} {items}", lang.pick(&l.title));
        if !l.missing_in.is_empty() {
            let m = l.missing_in.iter().map(|s| source_ref(s)).collect::<Vec<_>>().join(", ");
            s.push_str(&match lang {
                Lang::En => format!(" (the list is announced but left out in {m})"),
                Lang::Ja => format!(" ({m} では一覧が省略されています)"),
            });
        }
        out.push(s);
    }
    if !code.inline_helpers.is_empty() {
        let h = code.inline_helpers.iter().map(|(f, h)| format!("`{f}` (`{h}`)")).collect::<Vec<_>>().join(", ");
        out.push(match lang {
            Lang::En => format!("The SDK also offers the inline helper {h}."),
            Lang::Ja => format!("SDK にはインライン ヘルパー {h} もあります。"),
        });
    }
    if code.write_only {
        out.push(
            lang.s(
                "**Write-only:** no documented control code or socket option reads this value back, so there is no getter; keep what you set if you need it later.",
                "**設定専用:** この値を読み戻す制御コードやソケット オプションは文書化されていないため、取得用の関数はありません。後で必要になる場合は、設定した値を自分で保持してください。",
            )
            .to_owned(),
        );
    }
    for (a, header, note) in &code.aliases {
        out.push(match lang {
            Lang::En => format!("Also named `{a}` (`{header}`): {}", lang.pick(note)),
            Lang::Ja => format!("別名 `{a}` (`{header}`): {}", lang.pick(note)),
        });
    }
    if !code.shares_value_with.is_empty() {
        let others = code.shares_value_with.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
        out.push(match lang {
            Lang::En => format!("The same value, {:#010x}, is also {others}: a different code of another provider or family.", code.value),
            Lang::Ja => {
                format!("同じ値 {:#010x} は {others} でもあります。別のプロバイダーまたはファミリの、別の制御コードです。", code.value)
            }
        });
    }
    if !code.related.is_empty() {
        let r = code.related.iter().map(|x| format!("`{x}`")).collect::<Vec<_>>().join(", ");
        out.push(match lang {
            Lang::En => format!("Related: {r}."),
            Lang::Ja => format!("関連: {r}。"),
        });
    }
    out
}
