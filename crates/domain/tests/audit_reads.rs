//! The audit of reads: which staff reads of a person's full data go into the audit log, with what
//! reason, and who reads the log.
#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::{World, at, ordinary};
use domain::audit::CLERK_FILED_PURPOSE;
use domain::{AuditReason, ReadAudit, read_audit, read_audit_log};

#[test]
fn only_the_clerk_who_filed_reads_the_contact_in_full_and_that_read_is_audited() {
    let w = World::new();
    let mut complaint = w.file(ordinary(), at("2026-12-07T09:00:00Z")).complaint;
    // The resident's own read is not a staff read.
    assert_eq!(
        read_audit(&complaint, &w.resident, None).unwrap(),
        ReadAudit::None
    );
    // Staff who see the contact masked read nothing personal.
    for staff in [&w.company, &w.dispatcher, &w.inspector, &w.admin, &w.clerk] {
        assert_eq!(
            read_audit(&complaint, staff, None).unwrap(),
            ReadAudit::None
        );
    }
    // The clerk who filed it sees the contact: audited, with their own words or their purpose.
    complaint.filed_by = w.clerk.id();
    assert_eq!(
        read_audit(&complaint, &w.clerk, None).unwrap(),
        ReadAudit::Audited {
            reason: AuditReason::parse(CLERK_FILED_PURPOSE).unwrap()
        }
    );
    let given = AuditReason::parse("житель пришёл узнать статус").unwrap();
    assert_eq!(
        read_audit(&complaint, &w.clerk, Some(given.clone())).unwrap(),
        ReadAudit::Audited { reason: given }
    );
}

#[test]
fn only_an_administrator_in_person_reads_the_audit_log() {
    let w = World::new();
    assert!(read_audit_log(&w.admin).is_ok());
    for other in [
        &w.resident,
        &w.clerk,
        &w.company,
        &w.dispatcher,
        &w.inspector,
    ] {
        assert_eq!(read_audit_log(other).unwrap_err().code(), "forbidden");
    }
}
