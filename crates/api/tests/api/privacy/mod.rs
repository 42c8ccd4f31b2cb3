//! 152-ФЗ: personal data out of the hashed history, erasure, access (export) and retention.

mod history_layout;
