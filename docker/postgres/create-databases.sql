-- Each service owns its own database.
CREATE DATABASE catalog;
CREATE DATABASE payment;
CREATE DATABASE orders;
