clients --sort level --format csv
