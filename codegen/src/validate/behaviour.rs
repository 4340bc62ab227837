//! Where the code applies (socket types, state, ordering) and how it blocks and pends.

use super::errors::Table;
use super::{Sink, sorted, sp, strings};
use crate::ir;
use crate::spec::{self, Completion, EndCondition, NonBlocking};

pub(super) fn applicability(a: &spec::Applicability, table: &Table, sink: &mut Sink<'_, '_>) -> ir::Applicability {
    for (e, what) in [(&a.wrong_type_error, "wrong_type_error"), (&a.wrong_state_error, "wrong_state_error")] {
        if let Some(e) = e {
            table.require(e, what, sink);
        }
    }
    if a.state == spec::SocketState::Any
        && let Some(e) = &a.wrong_state_error
    {
        sink.err(sp(e), "`wrong_state_error` needs a `state` other than \"any\"");
    }
    ir::Applicability {
        socket_types: sorted(&a.socket_types),
        protocols: sorted(&a.protocols),
        address_families: sorted(&a.address_families),
        state: a.state,
        wrong_type_error: a.wrong_type_error.as_ref().map(|e| e.get_ref().clone()),
        wrong_state_error: a.wrong_state_error.as_ref().map(|e| e.get_ref().clone()),
        must_precede: sorted(&a.must_precede),
        both_ends: a.both_ends,
    }
}

pub(super) fn blocking(b: &spec::Blocking, table: &Table, sink: &mut Sink<'_, '_>) -> ir::Blocking {
    let on_event = *b.completion.get_ref() == Completion::OnEvent;
    match (on_event, b.nonblocking.get_ref()) {
        (true, NonBlocking::NotApplicable) => {
            sink.err(sp(&b.nonblocking), "a code that pends until an event must say what a non-blocking socket does")
        }
        (false, NonBlocking::WouldBlock | NonBlocking::Blocks) => {
            sink.err(sp(&b.nonblocking), "a code that completes at once has `nonblocking = \"not_applicable\"`")
        }
        _ => {}
    }
    if !on_event {
        if let Some(m) = &b.max_pending {
            sink.err(sp(m), "`max_pending` only applies to codes that pend");
        }
        if !b.ends_pending.is_empty() || !b.ends_pending_errors.is_empty() {
            sink.err(sp(&b.completion), "`ends_pending` only applies to codes that pend");
        }
    }
    if let Some(m) = &b.max_pending
        && *m.get_ref() == 0
    {
        sink.err(sp(m), "`max_pending` must be at least 1");
    }
    if b.ends_pending.contains(&EndCondition::SecondRequest) && b.max_pending.is_none() {
        sink.err(sp(&b.completion), "`ends_pending` has `second_request`, so `max_pending` must be given");
    }
    for e in &b.ends_pending_errors {
        table.require(e, "ends_pending_errors entry", sink);
    }
    if on_event && !b.overlapped {
        sink.err(sp(&b.completion), "a notification code without overlapped support cannot be waited on with a bound");
    }
    ir::Blocking {
        completion: *b.completion.get_ref(),
        nonblocking: *b.nonblocking.get_ref(),
        max_pending: b.max_pending.as_ref().map(|m| *m.get_ref()),
        overlapped: b.overlapped,
        completion_routine: b.completion_routine,
        ends_pending: sorted(&b.ends_pending),
        ends_pending_errors: strings(&b.ends_pending_errors),
    }
}
