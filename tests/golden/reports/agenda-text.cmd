agenda --format text
