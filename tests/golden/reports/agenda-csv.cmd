agenda --format csv
