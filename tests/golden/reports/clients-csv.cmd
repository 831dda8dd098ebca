clients --format csv
