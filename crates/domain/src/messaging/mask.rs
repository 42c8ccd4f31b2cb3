//! Recipients as the delivery log shows them (152-ФЗ): enough to tell two apart, never the whole
//! number or address.

use super::Channel;

/// A phone as `+7 *** ***-12-34` (the last four digits), an e-mail address as `i***@mail.ru`
/// (the first character and the domain). Anything else is masked whole.
pub fn mask_recipient(channel: Channel, address: &str) -> String {
    // Erased (152-ФЗ): nothing is left to mask, and the screens say so.
    if address.is_empty() {
        return String::new();
    }
    match channel {
        Channel::Sms => {
            let digits: Vec<char> = address.chars().filter(char::is_ascii_digit).collect();
            match digits.len() {
                n if n >= 8 => format!(
                    "+7 *** ***-{}{}-{}{}",
                    digits[n - 4],
                    digits[n - 3],
                    digits[n - 2],
                    digits[n - 1]
                ),
                _ => "***".to_owned(),
            }
        }
        Channel::Email | Channel::InApp => match address.split_once('@') {
            Some((local, domain)) if !local.is_empty() && !domain.is_empty() => {
                let first: String = local.chars().take(1).collect();
                format!("{first}***@{domain}")
            }
            _ => "***".to_owned(),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phones_keep_their_last_four_digits() {
        assert_eq!(
            mask_recipient(Channel::Sms, "+79221231234"),
            "+7 *** ***-12-34"
        );
        assert_eq!(mask_recipient(Channel::Sms, "12"), "***");
    }

    #[test]
    fn e_mails_keep_the_first_letter_and_the_domain() {
        assert_eq!(
            mask_recipient(Channel::Email, "ivanova@mail.ru"),
            "i***@mail.ru"
        );
        assert_eq!(
            mask_recipient(Channel::Email, "Ёлка@почта.рф"),
            "Ё***@почта.рф"
        );
        assert_eq!(mask_recipient(Channel::Email, "@mail.ru"), "***");
        assert_eq!(mask_recipient(Channel::Email, "nobody"), "***");
    }

    #[test]
    fn an_erased_address_stays_empty() {
        assert_eq!(mask_recipient(Channel::Sms, ""), "");
        assert_eq!(mask_recipient(Channel::Email, ""), "");
    }
}
