//! Minimum Windows versions (with the documents that disagree), deprecation, and behaviour
//! specific to older versions.

use super::errors::Table;
use super::{Sink, check_source, sp, strings, text};
use crate::ir;
use crate::spec;
use toml::Spanned;

/// Client versions, oldest first. Specs must name one of these.
pub const CLIENT_VERSIONS: &[&str] = &[
    "Windows 2000",
    "Windows XP",
    "Windows Vista",
    "Windows Vista SP1",
    "Windows 7",
    "Windows 8",
    "Windows 8.1",
    "Windows 10",
    "Windows 10 1703",
    "Windows 10 1709",
    "Windows 10 1809",
    "Windows 10 2004",
    "Windows 11",
];

/// Server versions, oldest first.
pub const SERVER_VERSIONS: &[&str] = &[
    "Windows 2000 Server",
    "Windows Server 2003",
    "Windows Server 2008",
    "Windows Server 2008 R2",
    "Windows Server 2012",
    "Windows Server 2012 R2",
    "Windows Server 2016",
    "Windows Server 2019",
    "Windows Server 2022",
];

pub(crate) fn check_version(v: &Spanned<String>, known: &[&str], sink: &mut Sink<'_, '_>) {
    if !known.contains(&v.get_ref().as_str()) {
        sink.err(sp(v), format!("unknown Windows version `{}`; expected one of: {}", v.get_ref(), known.join(", ")));
    }
}

pub(super) fn check(
    s: &spec::CodeSpec,
    table: &Table,
    ctx: &super::Ctx<'_>,
    sink: &mut Sink<'_, '_>,
) -> (Option<ir::Requirements>, Option<ir::Deprecation>, Vec<ir::VersionBehaviour>) {
    let requirements = s.requirements.as_ref().map(|r| requirements(r, ctx, sink));
    let deprecation = s.deprecation.as_ref().map(|d| {
        for src in d.sources.iter().chain(&d.absent_in) {
            check_source(src, ctx, sink);
        }
        ir::Deprecation { reason: text(&d.reason), sources: strings(&d.sources), absent_in: strings(&d.absent_in) }
    });
    let mut version_behaviour = Vec::new();
    for v in &s.version_behaviour {
        check_version(&v.through_client, CLIENT_VERSIONS, sink);
        check_version(&v.through_server, SERVER_VERSIONS, sink);
        check_source(&v.source, ctx, sink);
        if let Some(e) = &v.error {
            table.require(e, "version_behaviour error", sink);
        }
        version_behaviour.push(ir::VersionBehaviour {
            through_client: v.through_client.get_ref().clone(),
            through_server: v.through_server.get_ref().clone(),
            error: v.error.as_ref().map(|e| e.get_ref().clone()),
            source: v.source.get_ref().clone(),
            text: text(&v.text),
        });
    }
    (requirements, deprecation, version_behaviour)
}

fn requirements(r: &spec::Requirements, ctx: &super::Ctx<'_>, sink: &mut Sink<'_, '_>) -> ir::Requirements {
    check_version(&r.min_client, CLIENT_VERSIONS, sink);
    check_version(&r.min_server, SERVER_VERSIONS, sink);
    let mut disputed = Vec::new();
    for d in &r.disputed {
        check_version(&d.min_client, CLIENT_VERSIONS, sink);
        check_version(&d.min_server, SERVER_VERSIONS, sink);
        check_source(&d.source, ctx, sink);
        disputed.push((d.min_client.get_ref().clone(), d.min_server.get_ref().clone(), d.source.get_ref().clone(), text(&d.note)));
    }
    ir::Requirements {
        min_client: r.min_client.get_ref().clone(),
        min_server: r.min_server.get_ref().clone(),
        sources: strings(&r.sources),
        disputed,
    }
}
