//! Findings 3, 6, 11, 18 and 19 of the outside security review (issue 17), one test per finding,
//! named after it.

mod finding_11_history_scope;
mod finding_19_public_privacy;
mod finding_3_xss;
mod finding_6_attachment_blobs;
mod finding_6_attachment_quota;
