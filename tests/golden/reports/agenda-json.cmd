agenda --format json
