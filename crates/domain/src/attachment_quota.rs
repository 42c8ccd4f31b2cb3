//! How many files a complaint holds and one person may upload (finding 6 of the security review):
//! without a bound, anyone with an account could fill the disk one 10 MiB file at a time.

use chrono::{DateTime, Duration, Utc};

use crate::DomainError;

/// The bounds, from configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AttachmentLimits {
    /// Files on one complaint, whoever uploaded them.
    pub files_per_complaint: u32,
    /// Bytes (as stored) on one complaint.
    pub bytes_per_complaint: u64,
    /// Files one account uploads in 24 hours, on all complaints.
    pub files_per_user_day: u32,
    /// Bytes one account uploads in 24 hours.
    pub bytes_per_user_day: u64,
}

impl AttachmentLimits {
    /// 20 files and 60 MiB a complaint; 40 files and 150 MiB a person a day.
    pub const DEFAULT: AttachmentLimits = AttachmentLimits {
        files_per_complaint: 20,
        bytes_per_complaint: 60 * 1024 * 1024,
        files_per_user_day: 40,
        bytes_per_user_day: 150 * 1024 * 1024,
    };
}

/// Files and bytes already there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct AttachmentUsage {
    pub files: u64,
    pub bytes: u64,
}

/// The start of the 24 hours an account's uploads are counted over.
pub fn attachment_window_start(now: DateTime<Utc>) -> DateTime<Utc> {
    now - Duration::hours(24)
}

/// Whether one more file of `size` bytes may be stored. A full complaint is a
/// [`DomainError::Precondition`] (it stays full); a person's daily volume used up is
/// [`DomainError::LimitReached`] (it frees up within the day).
pub fn check_attachment_quota(
    limits: AttachmentLimits,
    on_complaint: AttachmentUsage,
    by_uploader_today: AttachmentUsage,
    size: u64,
) -> Result<(), DomainError> {
    if on_complaint.files >= u64::from(limits.files_per_complaint)
        || on_complaint.bytes.saturating_add(size) > limits.bytes_per_complaint
    {
        return Err(DomainError::Precondition {
            message: format!(
                "A complaint holds at most {} files and {} MiB in all.",
                limits.files_per_complaint,
                limits.bytes_per_complaint / (1024 * 1024)
            ),
        });
    }
    if by_uploader_today.files >= u64::from(limits.files_per_user_day)
        || by_uploader_today.bytes.saturating_add(size) > limits.bytes_per_user_day
    {
        return Err(DomainError::LimitReached {
            limit: "daily_attachments",
            retry_after_seconds: 3600,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LIMITS: AttachmentLimits = AttachmentLimits {
        files_per_complaint: 3,
        bytes_per_complaint: 1000,
        files_per_user_day: 5,
        bytes_per_user_day: 2000,
    };

    fn used(files: u64, bytes: u64) -> AttachmentUsage {
        AttachmentUsage { files, bytes }
    }

    #[test]
    fn a_file_fits_up_to_each_bound_and_not_past_it() {
        assert!(check_attachment_quota(LIMITS, used(2, 900), used(4, 1900), 100).is_ok());
        // The complaint's count, then its bytes.
        assert!(matches!(
            check_attachment_quota(LIMITS, used(3, 0), used(0, 0), 1),
            Err(DomainError::Precondition { .. })
        ));
        assert!(matches!(
            check_attachment_quota(LIMITS, used(0, 900), used(0, 0), 101),
            Err(DomainError::Precondition { .. })
        ));
        // The uploader's day, count and bytes.
        for today in [used(5, 0), used(0, 1950)] {
            assert!(matches!(
                check_attachment_quota(LIMITS, used(0, 0), today, 100),
                Err(DomainError::LimitReached {
                    limit: "daily_attachments",
                    ..
                })
            ));
        }
    }

    #[test]
    fn huge_counts_do_not_overflow() {
        assert!(check_attachment_quota(LIMITS, used(0, u64::MAX), used(0, 0), u64::MAX).is_err());
        let day = attachment_window_start(DateTime::<Utc>::MIN_UTC + Duration::days(2));
        assert_eq!(day, DateTime::<Utc>::MIN_UTC + Duration::days(1));
    }
}
