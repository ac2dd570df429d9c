"""The only code that knows PynamoDB, boto3, S3 and SES."""
