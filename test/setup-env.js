// Apps started inside tests log JSON lines; keep test output readable unless asked (TEST_LOGS=1).
if (!process.env.TEST_LOGS) process.env.LOG_LEVEL = process.env.LOG_LEVEL || 'silent';
