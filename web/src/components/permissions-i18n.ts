import { defineMessages } from '../lib/i18n';

export const usePermT = defineMessages({
  en_US: {
    none: 'It asks for no special permissions.',
    services: 'May call these services: {list}.',
    fsRead: 'May read files in: {list}.',
    fsWrite: 'May write files in: {list}.',
    childProcess: 'May start other programs on this machine.',
    worker: 'May start worker threads.',
    network: 'May open network connections.',
    other: 'Also: {list}.',
    inprocessNote: 'It runs in the kernel process, where these permissions are not enforced: only install trusted in-process extensions.',
  },
  zh_Hans: {
    none: '它没有申请任何特殊权限。',
    services: '可调用这些服务：{list}。',
    fsRead: '可读取以下位置的文件：{list}。',
    fsWrite: '可写入以下位置的文件：{list}。',
    childProcess: '可在本机启动其他程序。',
    worker: '可启动工作线程。',
    network: '可建立网络连接。',
    other: '另外：{list}。',
    inprocessNote: '它运行在内核进程中，这些权限不会被强制限制：请只安装可信的进程内扩展。',
  },
});
