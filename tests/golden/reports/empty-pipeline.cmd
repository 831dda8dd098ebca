pipeline --format csv
